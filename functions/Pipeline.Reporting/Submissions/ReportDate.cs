using System.Globalization;

namespace Pipeline.Reporting.Submissions;

/// <summary>How a report date's text reads: missing, not a yyyy-MM-dd date, or a real day.</summary>
public enum ReportDateStatus
{
    Missing,
    Malformed,
    Valid,
}

/// <summary>
/// A report's day as read once from its <c>yyyy-MM-dd</c> text (by the binder that built the input), so that the
/// rules, the accepted report and the URL routes all use the same reading.
/// </summary>
public readonly record struct ReportDate(ReportDateStatus Status, DateOnly Value)
{
    public const string Format = "yyyy-MM-dd";

    public bool IsValid => Status == ReportDateStatus.Valid;

    /// <summary>Reads <paramref name="text"/>: blank is missing; anything but an exact <c>yyyy-MM-dd</c> real day is malformed.</summary>
    public static ReportDate Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return new ReportDate(ReportDateStatus.Missing, default);
        }

        return TryParse(text, out var date) ? new ReportDate(ReportDateStatus.Valid, date) : new ReportDate(ReportDateStatus.Malformed, default);
    }

    /// <summary>A date written <c>yyyy-MM-dd</c>, exactly (no spaces, no time, a real day).</summary>
    public static bool TryParse(string? text, out DateOnly date)
    {
        text ??= "";

        // The form every client sends, read without the general parser; anything else gets the general parser's answer.
        if (text.Length == 10 && text[4] == '-' && text[7] == '-'
            && TryDigits(text, 0, 4, out var year) && TryDigits(text, 5, 2, out var month) && TryDigits(text, 8, 2, out var day))
        {
            var valid = year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
            date = valid ? new DateOnly(year, month, day) : default;
            return valid;
        }

        return DateOnly.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>The date as the API and storage write it.</summary>
    public static string Iso(DateOnly date) => date.ToString(Format, CultureInfo.InvariantCulture);

    private static bool TryDigits(string text, int start, int length, out int value)
    {
        value = 0;
        for (var i = start; i < start + length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            value = value * 10 + (text[i] - '0');
        }

        return true;
    }
}
