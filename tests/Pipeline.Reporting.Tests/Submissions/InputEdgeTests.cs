using System.Text;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Validation;
using Pipeline.Reporting.Tests.Validation;

namespace Pipeline.Reporting.Tests.Submissions;

/// <summary>The input edges of issue 13 item 9: trailing newlines, invisible marks, role lists, repeated names, the campaign's first day.</summary>
public sealed class InputEdgeTests
{
    private readonly RuleFixture rules = new();

    private IReadOnlyList<FieldError> Errors(ReportInput input, bool backfill = false) => rules.Validation.Validate(input, backfill).Errors;

    [Theory]
    [InlineData("a\n")]
    [InlineData("phone-1\n")]
    [InlineData("a\r\n")]
    public void A_submission_id_may_not_end_in_a_newline(string id) =>
        Assert.Equal(["submissionId submissionIdFormat"], Errors(RuleFixture.Input(submissionId: id)).Select(e => $"{e.Field} {e.Code}"));

    public static TheoryData<char> InvisibleMarks =>
        ['\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\uFEFF'];

    [Theory]
    [MemberData(nameof(InvisibleMarks))]
    public void Zero_width_and_bidi_marks_are_refused_in_text_like_control_characters(char mark)
    {
        Assert.Equal(["notes controlCharacters"], Errors(RuleFixture.Input(notes: "卓" + mark + "玛")).Select(e => $"{e.Field} {e.Code}"));
        Assert.Equal(["reporter.name controlCharacters"], Errors(RuleFixture.Input(name: "卓" + mark + "玛")).Select(e => $"{e.Field} {e.Code}"));
        Assert.DoesNotContain(mark, ReportValidator.Printable("a" + mark));
    }

    [Fact]
    public void Neighbours_of_the_marks_stay_allowed()
    {
        foreach (var c in "\u200A\u2010\u2029\u202F\u2065\u206A\uFEFE\uFF01")
        {
            Assert.Empty(Errors(RuleFixture.Input(notes: "a" + c)));
        }
    }

    [Fact]
    public void A_repeated_reporter_name_is_refused_like_every_other_repeated_key()
    {
        var parsed = ReportJsonParser.Parse(Encoding.UTF8.GetBytes("""{"reporter":{"name":"a","name":"b","phone":"13800138000","phone":"x"}}"""));
        Assert.Equal(
            ["reporter.name wrongType duplicate", "reporter.phone wrongType duplicate"],
            parsed.Errors.Select(e => $"{e.Field} {e.Code} {string.Join(",", e.Args)}"));
        Assert.Equal("a", parsed.Input.ReporterName);
    }

    [Theory]
    [InlineData("reporter", Role.Reporter)]
    [InlineData("Official", Role.Official)]
    [InlineData("admin", Role.Admin)]
    public void A_role_is_one_of_the_three_names(string text, Role expected)
    {
        Assert.True(RoleNames.TryParse(text, out var role));
        Assert.Equal(expected, role);
    }

    [Theory]
    [InlineData("reporter, admin")]
    [InlineData("reporter,official")]
    [InlineData("2")]
    [InlineData(" admin")]
    [InlineData("admin ")]
    [InlineData("")]
    [InlineData(null)]
    public void Anything_else_is_no_role(string? text) => Assert.False(RoleNames.TryParse(text, out _));

    [Fact]
    public void A_backfill_stops_at_the_campaign_start()
    {
        Assert.True(rules.Validation.Validate(RuleFixture.Input(date: "2020-01-01"), backfillAllowed: true).IsValid);
        var error = Assert.Single(Errors(RuleFixture.Input(date: "2019-12-31"), backfill: true));
        Assert.Equal(("reportDate", "dateBeforeCampaign"), (error.Field, error.Code));
        Assert.Equal<object?>(["2019-12-31", "2020-01-01"], error.Args);

        // A reporter too is told about the campaign, not about a correction window it could never meet.
        Assert.Equal(["dateBeforeCampaign"], Errors(RuleFixture.Input(date: "1999-01-01")).Select(e => e.Code));
    }

    [Fact]
    public void The_campaign_start_is_a_setting()
    {
        var clock = new ReportingClock(rules.Time, Options.Create(new PipelineOptions { CampaignStart = "2026-11-01" }));
        var validation = new ReportValidation(new ReportValidator(new ReportShape(rules.Catalogue), rules.Units, clock));
        Assert.Equal(["dateBeforeCampaign"], validation.Validate(RuleFixture.Input(date: "2026-10-31"), backfillAllowed: true).Errors.Select(e => e.Code));
        Assert.True(validation.Validate(RuleFixture.Input(date: "2026-11-01"), backfillAllowed: true).IsValid);
    }

    [Theory]
    [InlineData("2020-1-1")]
    [InlineData("2020-02-30")]
    [InlineData("")]
    public void A_campaign_start_that_is_not_a_date_stops_the_app(string start)
    {
        var validator = new ServiceValidator();
        Assert.True(validator.Validate(new PipelineOptions { CampaignStart = start }).Failed);
        Assert.False(validator.Validate(new PipelineOptions()).Failed);
    }

    /// <summary>The options as the app validates them at start-up: data annotations and the options validator.</summary>
    private sealed class ServiceValidator
    {
        public ValidateOptionsResult Validate(PipelineOptions options)
        {
            var annotations = new DataAnnotationValidateOptions<PipelineOptions>(null);
            var result = annotations.Validate(null, options);
            return result.Failed ? result : new PipelineOptionsValidator().Validate(null, options);
        }
    }
}
