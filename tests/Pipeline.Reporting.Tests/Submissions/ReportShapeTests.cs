using System.Text;
using System.Text.Json;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Validation;
using Pipeline.Reporting.Tests.Validation;

namespace Pipeline.Reporting.Tests.Submissions;

/// <summary>
/// The report's shape is declared once (<see cref="ReportShape"/>): the JSON binder, the validator, the entity
/// mapper and what <c>GET /api/report-shape</c> publishes for the form all follow that one declaration.
/// </summary>
public sealed class ReportShapeTests
{
    private readonly RuleFixture rules = new();

    private ReportShape Shape => new(rules.Catalogue);

    private ReportShapeView View => ReportShapeView.From(Shape, rules.Messages);

    [Fact]
    public void The_binder_reads_every_field_of_the_shape_at_its_path()
    {
        var json = new StringBuilder("{");
        foreach (var group in ReportShape.Fields.GroupBy(f => f.Parent))
        {
            var members = string.Join(",", group.Select(f => $"\"{f.Name}\":\"text of {f.Column}\""));
            json.Append(group.Key is null ? members : $"\"{group.Key}\":{{{members}}}").Append(',');
        }

        json.Append("\"values\":{\"returnees\":1}}");
        var parsed = ReportJsonParser.Parse(Encoding.UTF8.GetBytes(json.ToString()));

        Assert.Empty(parsed.Errors);
        var input = parsed.Input;
        Assert.Equal(
            ReportShape.Fields.Select(f => "text of " + f.Column),
            [input.UnitCode, input.ReportDate, input.SubmissionId, input.Notes, input.ReporterName, input.ReporterPhone]);
        Assert.Equal(1m, input.Values["returnees"].Number);
    }

    [Fact]
    public void The_validator_holds_each_text_field_to_the_length_the_shape_publishes()
    {
        foreach (var field in View.Fields.Where(f => f.MaxLength is not null && f.Type == ReportFieldType.Text))
        {
            var max = field.MaxLength!.Value;
            Assert.DoesNotContain(Errors(WithText(field.Path, new string('字', max))), e => e.Field == field.Path);
            var error = Assert.Single(Errors(WithText(field.Path, new string('字', max + 1))), e => e.Field == field.Path);
            Assert.Equal("tooLong", error.Code);
            Assert.Equal(max, error.Args[0]);
        }
    }

    [Fact]
    public void The_published_text_rules_are_the_ones_the_validator_applies()
    {
        var text = View.Text;
        foreach (var range in text.Forbidden)
        {
            foreach (var code in new[] { range.First, range.Last })
            {
                var c = ((char)code).ToString();
                foreach (var field in View.Fields.Where(f => f.Type == ReportFieldType.Text))
                {
                    var allowed = field.LineBreaks && text.LineBreaks.Contains(c, StringComparison.Ordinal);
                    var failed = Errors(WithText(field.Path, "a" + c)).Any(e => e.Field == field.Path && e.Code == "controlCharacters");
                    Assert.True(allowed != failed, $"U+{code:X4} in {field.Path}: allowed {allowed}, refused {failed}");
                }
            }
        }

        Assert.Contains(View.Fields, f => f.Path == "notes" && f.LineBreaks);
    }

    [Fact]
    public void Every_published_cross_field_rule_is_run_by_the_validator_and_no_other()
    {
        Assert.Equal(
            ["fromWuhan<=fromHubei", "fromHubei<=fromEpidemicAreas", "householdsSurveyed<=personsSurveyed", "turnedBack<=vehiclesChecked+personsChecked"],
            View.Rules.Select(r => $"{r.Key}<={string.Join("+", r.AtMostSumOf)}"));
        foreach (var rule in View.Rules)
        {
            // Room for the other rules: every other value of a rule is large enough.
            var values = RuleFixture.ValidValues(("fromEpidemicAreas", 100));
            foreach (var part in rule.AtMostSumOf)
            {
                values[part] = 5;
            }

            var limit = 5m * rule.AtMostSumOf.Count;
            values[rule.Key] = limit;
            Assert.Empty(Errors(RuleFixture.Input(values: values)));

            values[rule.Key] = limit + 1;
            var error = Assert.Single(Errors(RuleFixture.Input(values: values)));
            Assert.Equal((rule.Field, rule.Message), (error.Field, error.Code));
            Assert.Equal(limit + 1, error.Args[1]);
            Assert.Equal(limit, error.Args[3]);
        }
    }

    [Fact]
    public void The_published_bounds_and_required_indicators_are_the_ones_the_validator_applies()
    {
        foreach (var indicator in View.Indicators)
        {
            var values = RuleFixture.ValidValues();
            values[indicator.Key] = indicator.Bounds.Max + 1;
            Assert.Contains(Errors(RuleFixture.Input(values: values)), e => e.Field == indicator.Path && e.Code == "outOfRange");
            values.Remove(indicator.Key);
            Assert.Equal(indicator.Required, Errors(RuleFixture.Input(values: values)).Any(e => e.Field == indicator.Path && e.Code == "requiredIndicator"));
        }
    }

    [Fact]
    public void Every_message_a_field_rule_can_give_is_published_in_both_languages()
    {
        string[] codes =
        [
            "required", "unitUnknown", "unitNotTownship", "dateFormat", "dateInFuture", "dateTooOld", "submissionIdFormat",
            "unknownIndicator", "notANumber", "notInteger", "tooManyDecimals", "outOfRange", "requiredIndicator", "exceedsSum",
            "tooLong", "controlCharacters", "phoneFormat", "wrongType", "unknownField", "outlier", "stockJump",
        ];
        foreach (var code in codes.Concat(View.Rules.Select(r => r.Message)))
        {
            Assert.True(View.Messages.TryGetValue(code, out var text), code);
            Assert.False(string.IsNullOrWhiteSpace(text.Zh) || string.IsNullOrWhiteSpace(text.En), code);
        }

        Assert.DoesNotContain(View.Messages.Keys, k => k.StartsWith("problem.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_published_document_has_the_json_shape_the_readme_gives()
    {
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(View, JsonDefaults.Web));
        var root = document.RootElement;
        var notes = root.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "reporter.name");
        Assert.Equal("reporterName", notes.GetProperty("column").GetString());
        Assert.Equal("text", notes.GetProperty("type").GetString());
        Assert.Equal(50, notes.GetProperty("maxLength").GetInt32());
        var id = root.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("path").GetString() == "submissionId");
        Assert.Matches(id.GetProperty("pattern").GetString()!, "phone-1");
        var rule = root.GetProperty("rules")[0];
        Assert.Equal("atMostSum", rule.GetProperty("kind").GetString());
        Assert.Equal("values.fromWuhan", rule.GetProperty("field").GetString());
        Assert.Equal("fromHubei", rule.GetProperty("atMostSumOf")[0].GetString());
        Assert.Equal("flow", root.GetProperty("indicators")[0].GetProperty("kind").GetString());
        Assert.Equal(1_000_000, root.GetProperty("indicators")[0].GetProperty("bounds").GetProperty("max").GetInt32());
        Assert.Equal(0x202A, root.GetProperty("text").GetProperty("forbidden")[3].GetProperty("first").GetInt32());
        Assert.Equal("{0} ({1}) cannot exceed {2} ({3})", root.GetProperty("messages").GetProperty("exceedsSum").GetProperty("en").GetString());
    }

    [Fact]
    public void The_entity_mapper_names_the_report_fields_by_their_columns()
    {
        var mapper = new ReportEntityMapper(Shape);
        var report = new StoredReport("623024100", new DateOnly(2026, 11, 27), 2, "a-1", new Dictionary<string, decimal> { ["returnees"] = 3, ["donatedCashYuan"] = 1.5m },
            "注", "卓玛", "13800138000", DateTimeOffset.UnixEpoch, false, "r", [], "h", "t");
        var entity = mapper.ToEntity(report, "623024", "row");

        Assert.Equal(
            ["623024100", "20261127", "a-1", "注", "卓玛", "13800138000"],
            ReportShape.Fields.Select(f => entity.GetString(f.Column)));
        Assert.Equal(3m, Convert.ToDecimal(entity["v_returnees"], System.Globalization.CultureInfo.InvariantCulture));
        var read = mapper.FromEntity(entity);
        Assert.Equal(report.Values, read.Values);
        Assert.Equal(report with { Values = read.Values, Warnings = read.Warnings }, read);
    }

    [Theory]
    [InlineData(null, ReportDateStatus.Missing)]
    [InlineData(" ", ReportDateStatus.Missing)]
    [InlineData("2026-11-27", ReportDateStatus.Valid)]
    [InlineData("2026/11/27", ReportDateStatus.Malformed)]
    [InlineData("2026-11-27 ", ReportDateStatus.Malformed)]
    public void A_report_date_is_read_once_when_the_input_is_made(string? text, ReportDateStatus status)
    {
        var input = RuleFixture.Input(date: text);
        Assert.Equal(status, input.Date.Status);
        Assert.Equal(status == ReportDateStatus.Valid ? new DateOnly(2026, 11, 27) : default, input.Date.Value);

        // A changed text is read again.
        Assert.Equal(ReportDateStatus.Valid, (input with { ReportDate = "2026-11-20" }).Date.Status);
        Assert.Equal(new DateOnly(2026, 11, 20), (input with { ReportDate = "2026-11-20" }).Date.Value);
    }

    private static ReportInput WithText(string path, string text)
    {
        var input = RuleFixture.Input();
        return path switch
        {
            "notes" => input with { Notes = text },
            "reporter.name" => input with { ReporterName = text },
            _ => throw new ArgumentException(path),
        };
    }

    private IReadOnlyList<FieldError> Errors(ReportInput input) => rules.Validation.Validate(input, backfillAllowed: false).Errors;
}
