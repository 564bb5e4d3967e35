using System.Globalization;

namespace Pipeline.Reporting.Rollups;

public static class RollupDates
{
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static bool TryParse(string? text, out DateOnly date) => Submissions.ReportDate.TryParse(text, out date);
}
