using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Tests.Validation;

/// <summary>Every hard rule of spec section 3, on its passing and its failing side.</summary>
public sealed class HardRuleTests
{
    private readonly RuleFixture rules = new();

    private IReadOnlyList<FieldError> Errors(ReportInput input, bool backfill = false) => rules.Validation.Validate(input, backfill).Errors;

    private void AssertOnly(ReportInput input, string field, string code, bool backfill = false)
    {
        var errors = Errors(input, backfill);
        Assert.Contains(errors, e => e.Field == field && e.Code == code);
        Assert.All(errors, e => Assert.Equal(field, e.Field));
    }

    [Fact]
    public void A_complete_valid_report_passes_and_keeps_only_reported_values()
    {
        var outcome = rules.Validation.Validate(RuleFixture.Input(), backfillAllowed: false);
        Assert.True(outcome.IsValid);
        Assert.Equal(new DateOnly(2026, 11, 27), outcome.Report!.ReportDate);
        Assert.False(outcome.Report.Values.ContainsKey("fromHubei"));
        Assert.Equal(0, outcome.Report.Values["feverReferred"]);
    }

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("999999999", "unitUnknown")]
    [InlineData("623024' or '1'='1", "unitUnknown")]
    [InlineData("623024", "unitNotTownship")]
    [InlineData("623000", "unitNotTownship")]
    public void Unit_code_must_be_a_known_township(string? unit, string code) =>
        AssertOnly(RuleFixture.Input(unit: unit), "unitCode", code);

    [Theory]
    [InlineData("2026-11-27")]
    [InlineData("2026-11-20")]
    public void Report_date_today_or_within_the_correction_window_passes(string date) =>
        Assert.Empty(Errors(RuleFixture.Input(date: date)));

    [Theory]
    [InlineData(null, "required")]
    [InlineData("27/11/2026", "dateFormat")]
    [InlineData("2026-11-27T00:00:00+08:00", "dateFormat")]
    [InlineData("2026-02-30", "dateNoSuchDay")]
    [InlineData("2026-11-31", "dateNoSuchDay")]
    [InlineData("2026-11-28", "dateInFuture")]
    [InlineData("2026-11-19", "dateTooOld")]
    public void Report_date_must_be_iso_not_future_and_within_the_window(string? date, string code) =>
        AssertOnly(RuleFixture.Input(date: date), "reportDate", code);

    [Fact]
    public void Admin_may_backfill_beyond_the_window_but_not_into_the_future()
    {
        Assert.Empty(Errors(RuleFixture.Input(date: "2020-02-01"), backfill: true));
        AssertOnly(RuleFixture.Input(date: "2026-11-28"), "reportDate", "dateInFuture", backfill: true);
    }

    [Fact]
    public void Today_follows_the_reporting_time_zone_not_utc()
    {
        // 16:30 UTC on the 27th is already 00:30 on the 28th in Shanghai.
        var late = new RuleFixture(new DateTimeOffset(2026, 11, 27, 16, 30, 0, TimeSpan.Zero));
        Assert.Empty(late.Validation.Validate(RuleFixture.Input(date: "2026-11-28"), false).Errors);
        var early = new RuleFixture(new DateTimeOffset(2026, 11, 27, 15, 59, 0, TimeSpan.Zero));
        Assert.Contains(early.Validation.Validate(RuleFixture.Input(date: "2026-11-28"), false).Errors, e => e.Code == "dateInFuture");
    }

    [Fact]
    public void Every_value_key_must_be_in_the_catalogue() =>
        AssertOnly(RuleFixture.Input(values: RuleFixture.ValidValues(("fromMars", 1))), "values.fromMars", "unknownIndicator");

    [Theory]
    [InlineData("returnees", 0)]
    [InlineData("returnees", 1_000_000)]
    [InlineData("donatedCashYuan", 100_000_000)]
    [InlineData("donatedCashYuan", 12.34)]
    public void Values_at_their_bounds_pass(string key, double value) =>
        Assert.Empty(Errors(RuleFixture.Input(values: RuleFixture.ValidValues((key, (decimal)value)))));

    [Theory]
    [InlineData("returnees", -1, "outOfRange")]
    [InlineData("returnees", 1_000_001, "outOfRange")]
    [InlineData("donatedCashYuan", 100_000_000.01, "outOfRange")]
    [InlineData("returnees", 1.5, "notInteger")]
    [InlineData("donatedCashYuan", 1.234, "tooManyDecimals")]
    public void Values_outside_their_kind_are_refused(string key, double value, string code) =>
        AssertOnly(RuleFixture.Input(values: RuleFixture.ValidValues((key, (decimal)value))), "values." + key, code);

    [Fact]
    public void A_value_that_is_not_a_number_is_named()
    {
        var input = RuleFixture.Input() with
        {
            Values = new Dictionary<string, InputValue>(RuleFixture.Input().Values) { ["outflow"] = new InputValue(null, "twelve") },
        };
        AssertOnly(input, "values.outflow", "notANumber");
    }

    [Theory]
    [InlineData("returnees")]
    [InlineData("fromEpidemicAreas")]
    [InlineData("homeQuarantine")]
    [InlineData("feverReferred")]
    public void Required_indicators_must_be_present(string key)
    {
        var values = RuleFixture.ValidValues();
        values.Remove(key);
        AssertOnly(RuleFixture.Input(values: values), "values." + key, "requiredIndicator");
    }

    [Fact]
    public void A_blank_required_value_counts_as_missing()
    {
        var input = RuleFixture.Input() with
        {
            Values = new Dictionary<string, InputValue>(RuleFixture.Input().Values) { ["returnees"] = new InputValue(null, " ") },
        };
        AssertOnly(input, "values.returnees", "requiredIndicator");
    }

    [Theory]
    [InlineData("fromWuhan", 2, "fromHubei", 1)]
    [InlineData("fromHubei", 4, "fromEpidemicAreas", 3)]
    [InlineData("householdsSurveyed", 11, "personsSurveyed", 10)]
    public void Cross_field_rules_fail_when_the_part_exceeds_the_whole(string part, int partValue, string whole, int wholeValue)
    {
        var values = RuleFixture.ValidValues((part, partValue), (whole, wholeValue));
        AssertOnly(RuleFixture.Input(values: values), "values." + part, "exceedsSum");
        values[part] = wholeValue;
        Assert.Empty(Errors(RuleFixture.Input(values: values)));
    }

    [Fact]
    public void Turned_back_may_not_exceed_vehicles_plus_persons_checked()
    {
        var values = RuleFixture.ValidValues(("vehiclesChecked", 4), ("personsChecked", 5), ("turnedBack", 10));
        AssertOnly(RuleFixture.Input(values: values), "values.turnedBack", "exceedsSum");
        values["turnedBack"] = 9;
        Assert.Empty(Errors(RuleFixture.Input(values: values)));
    }

    [Fact]
    public void Cross_field_rules_apply_only_where_all_their_values_are_present()
    {
        var values = RuleFixture.ValidValues(("fromWuhan", 50), ("turnedBack", 10), ("vehiclesChecked", 1));
        values.Remove("fromHubei");
        Assert.Empty(Errors(RuleFixture.Input(values: values)));
    }

    [Fact]
    public void Notes_are_bounded_and_free_of_control_and_direction_characters()
    {
        Assert.Empty(Errors(RuleFixture.Input(notes: new string('字', 500) [..498] + "\n好")));
        AssertOnly(RuleFixture.Input(notes: new string('字', 501)), "notes", "tooLong");
        AssertOnly(RuleFixture.Input(notes: "ok\u0007"), "notes", "controlCharacters");
        AssertOnly(RuleFixture.Input(notes: "abc\u202Edef"), "notes", "controlCharacters");
    }

    [Fact]
    public void Reporter_name_is_bounded_and_single_line()
    {
        Assert.Empty(Errors(RuleFixture.Input(name: new string('名', 50))));
        AssertOnly(RuleFixture.Input(name: new string('名', 51)), "reporter.name", "tooLong");
        AssertOnly(RuleFixture.Input(name: "a\nb"), "reporter.name", "controlCharacters");
    }

    [Theory]
    [InlineData("13800138000")]
    [InlineData("+8613800138000")]
    [InlineData("0941-8212345")]
    [InlineData("09418212345")]
    [InlineData("")]
    public void Plausible_chinese_phone_numbers_pass(string phone) =>
        Assert.Empty(Errors(RuleFixture.Input(phone: phone)));

    [Theory]
    [InlineData("12345")]
    [InlineData("23800138000")]
    [InlineData("138001380001")]
    [InlineData("phone")]
    public void Implausible_phone_numbers_are_refused(string phone) =>
        AssertOnly(RuleFixture.Input(phone: phone), "reporter.phone", "phoneFormat");

    [Fact]
    public void Every_failing_field_is_named_in_one_pass()
    {
        var values = RuleFixture.ValidValues(("fromWuhan", 5), ("fromHubei", 1), ("nonsense", 1));
        var errors = Errors(RuleFixture.Input(date: "2026-11-28", values: values));
        Assert.Equal(["reportDate", "values.fromWuhan", "values.nonsense"], errors.Select(e => e.Field).Order());
    }

    [Fact]
    public void Every_message_code_exists_in_both_languages()
    {
        var values = RuleFixture.ValidValues(("fromWuhan", 5), ("fromHubei", 1));
        var errors = Errors(RuleFixture.Input(unit: "1", date: "x", values: values, notes: "\u0001", phone: "1", submissionId: "bad id"));
        Assert.True(errors.Count >= 6);
        foreach (var error in errors)
        {
            Assert.True(rules.Messages.Has(error.Code), error.Code);
            Assert.NotEqual(
                rules.Messages.Format(error.Code, Language.Chinese, error.Args.ToArray()),
                rules.Messages.Format(error.Code, Language.English, error.Args.ToArray()));
        }
    }
}
