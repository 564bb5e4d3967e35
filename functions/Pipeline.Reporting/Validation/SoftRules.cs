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
    public IReadOnlyList<ReportWarning> Evaluate(ValidReport report, IReadOnlyList<UnitDay> history)
    {
        var warnings = new List<ReportWarning>();
        var previousDay = history.FirstOrDefault(h => h.Date == report.ReportDate.AddDays(-1));
        foreach (var indicator in catalogue.Indicators)
        {
            if (!report.Values.TryGetValue(indicator.Key, out var value))
            {
                continue;
            }

            var recent = history
                .Where(h => h.Date < report.ReportDate)
                .Select(h => h.Values.TryGetValue(indicator.Key, out var v) ? v : (decimal?)null)
                .OfType<decimal>()
                .Take(MedianWindow)
                .ToList();
            if (recent.Count >= MinimumHistory && value >= MinimumMeaningfulMove && value > OutlierFactor * Median(recent))
            {
                warnings.Add(new ReportWarning(indicator.Key, Outlier, value, Median(recent)));
            }

            if (indicator.Kind == IndicatorKind.Stock
                && previousDay is not null
                && previousDay.Values.TryGetValue(indicator.Key, out var previous)
                && Math.Abs(value - previous) >= MinimumMeaningfulMove
                && (value > 2 * previous || value < previous / 2))
            {
                warnings.Add(new ReportWarning(indicator.Key, StockJump, value, previous));
            }
        }

        return warnings;
    }

    private static decimal Median(List<decimal> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
