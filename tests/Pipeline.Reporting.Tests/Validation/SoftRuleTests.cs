using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Tests.Validation;

public sealed class SoftRuleTests
{
    private static readonly DateOnly Day = new(2026, 11, 27);
    private readonly SoftRules rules = new(Pipeline.Reporting.Catalogue.IndicatorCatalogue.LoadEmbedded());

    private static ValidReport Report(params (string Key, decimal Value)[] values) =>
        new("623024100", Day, null, values.ToDictionary(v => v.Key, v => v.Value), "", "", "");

    private static UnitDay Past(int daysAgo, params (string Key, decimal Value)[] values) =>
        new(Day.AddDays(-daysAgo), [new RevisionId(1, null, "")], values.ToDictionary(v => v.Key, v => v.Value));

    [Fact]
    public void Evaluating_a_report_that_warns_of_nothing_allocates_nothing()
    {
        // Every report of a batch is evaluated (10,000 of them for a county upload): 6.3 KB each went on LINQ iterators,
        // closures and boxed values per indicator, whether or not anything warned.
        var catalogue = Pipeline.Reporting.Catalogue.IndicatorCatalogue.LoadEmbedded();
        var values = catalogue.Indicators.Select((indicator, i) => (indicator.Key, (decimal)(20 + i))).ToArray();
        var report = Report(values);
        var history = Enumerable.Range(1, 10).Select(d => Past(d, values)).ToList();
        Assert.Empty(rules.Evaluate(report, history));
        Assert.Empty(rules.Evaluate(report, []));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var warnings = rules.Evaluate(report, history).Count + rules.Evaluate(report, []).Count;
        Assert.Equal((0, 0L), (warnings, GC.GetAllocatedBytesForCurrentThread() - before));
    }

    [Fact]
    public void A_value_over_three_times_the_recent_median_warns()
    {
        var history = Enumerable.Range(1, 7).Select(d => Past(d, ("returnees", 10))).ToList();
        var warning = Assert.Single(rules.Evaluate(Report(("returnees", 31)), history));
        Assert.Equal(("returnees", SoftRules.Outlier, 31m, 10m), (warning.Indicator, warning.Rule, warning.Value, warning.Reference));
        Assert.Empty(rules.Evaluate(Report(("returnees", 30)), history));
    }

    [Fact]
    public void Outliers_wait_until_the_unit_has_reported_the_indicator_on_three_earlier_days()
    {
        // The second report of a unit that first reported 0: 3 x a median of 0 is no reason to warn.
        Assert.Empty(rules.Evaluate(Report(("returnees", 40)), [Past(1, ("returnees", 0))]));
        Assert.Empty(rules.Evaluate(Report(("returnees", 40)), [Past(1, ("returnees", 0)), Past(2, ("returnees", 0))]));

        // Days that did not report the indicator do not count.
        var gappy = new[] { Past(1, ("returnees", 0)), Past(2, ("outflow", 5)), Past(3, ("returnees", 0)), Past(4, ("outflow", 5)) };
        Assert.Empty(rules.Evaluate(Report(("returnees", 40)), gappy));

        var three = new[] { Past(1, ("returnees", 0)), Past(3, ("returnees", 0)), Past(5, ("returnees", 0)) };
        var warning = Assert.Single(rules.Evaluate(Report(("returnees", 40)), three));
        Assert.Equal((SoftRules.Outlier, 0m), (warning.Rule, warning.Reference));
    }

    [Fact]
    public void Small_values_never_count_as_outliers()
    {
        var history = Enumerable.Range(1, 7).Select(d => Past(d, ("returnees", 1))).ToList();
        Assert.Empty(rules.Evaluate(Report(("returnees", 9)), history));
        Assert.Single(rules.Evaluate(Report(("returnees", 10)), history));
    }

    [Fact]
    public void Only_the_last_seven_reported_values_make_the_median()
    {
        var history = Enumerable.Range(1, 7).Select(d => Past(d, ("returnees", 100)))
            .Concat(Enumerable.Range(8, 20).Select(d => Past(d, ("returnees", 1))))
            .ToList();
        Assert.Empty(rules.Evaluate(Report(("returnees", 250)), history));
    }

    [Fact]
    public void A_stock_that_more_than_doubles_or_halves_from_yesterday_warns()
    {
        Assert.Contains(rules.Evaluate(Report(("homeQuarantine", 41)), [Past(1, ("homeQuarantine", 20))]), w => w.Rule == SoftRules.StockJump);
        Assert.Contains(rules.Evaluate(Report(("homeQuarantine", 9)), [Past(1, ("homeQuarantine", 20))]), w => w.Rule == SoftRules.StockJump);
        Assert.DoesNotContain(rules.Evaluate(Report(("homeQuarantine", 40)), [Past(1, ("homeQuarantine", 20))]), w => w.Rule == SoftRules.StockJump);
        // A move of less than 10 is noise, and a flow is not a stock.
        Assert.DoesNotContain(rules.Evaluate(Report(("homeQuarantine", 9)), [Past(1, ("homeQuarantine", 3))]), w => w.Rule == SoftRules.StockJump);
        Assert.DoesNotContain(rules.Evaluate(Report(("returnees", 100)), [Past(1, ("returnees", 20))]), w => w.Rule == SoftRules.StockJump);
    }

    [Fact]
    public void The_stock_jump_compares_with_the_previous_day_only()
    {
        Assert.DoesNotContain(rules.Evaluate(Report(("homeQuarantine", 100)), [Past(2, ("homeQuarantine", 20))]), w => w.Rule == SoftRules.StockJump);
    }
}
