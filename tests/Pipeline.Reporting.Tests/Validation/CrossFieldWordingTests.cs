using Pipeline.Functions.Http;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Tests.Validation;

/// <summary>
/// A message names an indicator on its own, away from its form row, so "of which: Hubei" (a label that only reads
/// under its parent row) is named by the catalogue's message label instead: the sentence an official reads.
/// </summary>
public sealed class CrossFieldWordingTests
{
    private readonly RuleFixture rules = new();

    private ProblemFactory Problems => new(rules.Messages, rules.Catalogue);

    [Theory]
    [InlineData("fromWuhan", 5, "fromHubei", 1, "武汉流入人员（5）不能大于湖北流入人员（1）", "Arrivals from Wuhan (5) cannot exceed Arrivals from Hubei (1)")]
    [InlineData("fromHubei", 4, "fromEpidemicAreas", 3, "湖北流入人员（4）不能大于疫区流入人员（3）", "Arrivals from Hubei (4) cannot exceed Arrivals from epidemic areas (3)")]
    [InlineData("householdsSurveyed", 11, "personsSurveyed", 10, "摸排户数（11）不能大于摸排人数（10）", "Households surveyed (11) cannot exceed Persons surveyed (10)")]
    public void A_cross_field_error_names_both_indicators_as_a_sentence_can(string part, int partValue, string whole, int wholeValue, string zh, string en)
    {
        var error = CrossFieldError(RuleFixture.ValidValues((part, partValue), (whole, wholeValue)), part);

        Assert.Equal(zh, Problems.Message(error, Language.Chinese));
        Assert.Equal(en, Problems.Message(error, Language.English));
    }

    [Fact]
    public void A_sum_names_each_of_its_parts()
    {
        var error = CrossFieldError(RuleFixture.ValidValues(("vehiclesChecked", 4), ("personsChecked", 5), ("turnedBack", 10)), "turnedBack");

        Assert.Equal("劝返人员车辆（10）不能大于检查车辆 + 检查人员（9）", Problems.Message(error, Language.Chinese));
        Assert.Equal("Persons or vehicles turned back (10) cannot exceed Vehicles checked + Persons checked (9)", Problems.Message(error, Language.English));
    }

    [Fact]
    public void The_form_gets_the_same_names_from_the_report_shape()
    {
        var view = ReportShapeView.From(new ReportShape(rules.Catalogue), rules.Messages);
        var wuhan = view.Indicators.Single(i => i.Key == "fromWuhan");

        Assert.Equal("武汉流入人员", wuhan.MessageLabelZh);
        Assert.Equal("Arrivals from Wuhan", wuhan.MessageLabelEn);
        Assert.Equal("其中：武汉", wuhan.LabelZh); // the form row keeps the paper form's label
        foreach (var indicator in view.Indicators)
        {
            Assert.Equal(rules.Catalogue[indicator.Key].MessageLabel(Language.Chinese), indicator.MessageLabelZh);
            Assert.Equal(rules.Catalogue[indicator.Key].MessageLabel(Language.English), indicator.MessageLabelEn);
        }
    }

    [Fact]
    public void An_indicator_without_a_message_label_is_named_by_its_label()
    {
        var returnees = rules.Catalogue["returnees"];

        Assert.Equal(returnees.LabelZh, returnees.MessageLabel(Language.Chinese));
        Assert.Equal(returnees.LabelEn, returnees.MessageLabel(Language.English));
    }

    private FieldError CrossFieldError(Dictionary<string, decimal> values, string part)
    {
        var outcome = rules.Validation.Validate(RuleFixture.Input(values: values), backfillAllowed: false);
        return Assert.Single(outcome.Errors, e => e.Field == "values." + part && e.Code == "exceedsSum");
    }
}
