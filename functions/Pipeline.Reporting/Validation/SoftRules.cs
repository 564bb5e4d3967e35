using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Validation;

/// <summary>
/// The warnings of the spec, section 3, from the unit's own history. They never block a report.
/// </summary>
public sealed class SoftRules(IndicatorCatalogue catalogue)
{
    public const string Outlier = "outlier";
    public const string StockJump = "stockJump";
    private const int MedianWindow = 7;

    /// <summary>The earlier days a unit must have reported an indicator on before its median means anything (spec section 3).</summary>
    private const int MinimumHistory = 3;
    private const decimal OutlierFactor = 3;
    private const decimal MinimumMeaningfulMove = 10;

    /// <param name="history">The unit's earlier days (the newest revision's values of each), newest first.</param>
    /// <remarks>
    /// Every report of a batch comes through here, so the loops go by index, the recent values sit on the stack, and
    /// the list is made only for a warning: a report that warns of nothing allocates nothing (it took 6.3 KB of
    /// iterators, closures and boxed values).
    /// </remarks>
    public IReadOnlyList<ReportWarning> Evaluate(ValidReport report, IReadOnlyList<UnitDay> history)
    {
        List<ReportWarning>? warnings = null;
        var previousDay = DayBefore(report.ReportDate, history);
        Span<decimal> recent = stackalloc decimal[MedianWindow];
        var indicators = catalogue.Indicators;
        for (var i = 0; i < indicators.Count; i++)
        {
            var indicator = indicators[i];
            if (!report.Values.TryGetValue(indicator.Key, out var value))
            {
                continue;
            }

            var count = Recent(indicator.Key, report.ReportDate, history, recent);
            if (count >= MinimumHistory && value >= MinimumMeaningfulMove && Median(recent[..count]) is var median && value > OutlierFactor * median)
            {
                (warnings ??= []).Add(new ReportWarning(indicator.Key, Outlier, value, median));
            }

            if (indicator.Kind == IndicatorKind.Stock
                && previousDay is not null
                && previousDay.Values.TryGetValue(indicator.Key, out var previous)
                && Math.Abs(value - previous) >= MinimumMeaningfulMove
                && (value > 2 * previous || value < previous / 2))
            {
                (warnings ??= []).Add(new ReportWarning(indicator.Key, StockJump, value, previous));
            }
        }

        return warnings ?? (IReadOnlyList<ReportWarning>)[];
    }

    private static UnitDay? DayBefore(DateOnly date, IReadOnlyList<UnitDay> history)
    {
        var before = date.AddDays(-1);
        for (var i = 0; i < history.Count; i++)
        {
            if (history[i].Date == before)
            {
                return history[i];
            }
        }

        return null;
    }

    /// <summary>The indicator's values of the newest days before <paramref name="date"/> that reported it, at most as many as <paramref name="into"/> holds; returns how many.</summary>
    private static int Recent(string key, DateOnly date, IReadOnlyList<UnitDay> history, Span<decimal> into)
    {
        var count = 0;
        for (var i = 0; i < history.Count && count < into.Length; i++)
        {
            if (history[i].Date < date && history[i].Values.TryGetValue(key, out var value))
            {
                into[count++] = value;
            }
        }

        return count;
    }

    /// <summary>The median of <paramref name="values"/>, which it sorts in place.</summary>
    private static decimal Median(Span<decimal> values)
    {
        values.Sort();
        var middle = values.Length / 2;
        return values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }
}
