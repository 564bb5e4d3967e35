using System.Globalization;

namespace Pipeline.Reporting.Submissions;

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

        var status = Classify(text, out var date);
        return new ReportDate(status, date);
    }

    /// <summary>A date written <c>yyyy-MM-dd</c>, exactly (no spaces, no time, a real day).</summary>
    public static bool TryParse(string? text, out DateOnly date) => Classify(text, out date) == ReportDateStatus.Valid;

    /// <summary>
    /// Valid, malformed, or <see cref="ReportDateStatus.NoSuchDay"/>: well written (month 01-12, day 01-31) but a day
    /// the month does not have (2026-11-31, 2026-02-30), so the reporter is told to check the day, not the format.
    /// </summary>
    public static ReportDateStatus Classify(string? text, out DateOnly date)
    {
        text ??= "";
        date = default;

        // The form every client sends, read without the general parser; anything else gets the general parser's answer.
        if (text.Length == 10 && text[4] == '-' && text[7] == '-'
            && TryDigits(text, 0, 4, out var year) && TryDigits(text, 5, 2, out var month) && TryDigits(text, 8, 2, out var day))
        {
            if (year < 1 || month is < 1 or > 12 || day is < 1 or > 31)
            {
                return ReportDateStatus.Malformed;
            }

            if (day > DateTime.DaysInMonth(year, month))
            {
                return ReportDateStatus.NoSuchDay;
            }

            date = new DateOnly(year, month, day);
            return ReportDateStatus.Valid;
        }

        return DateOnly.TryParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out date)
            ? ReportDateStatus.Valid
            : ReportDateStatus.Malformed;
    }

    /// <summary>
    /// The date as the API, storage keys, blob paths, file names and CSV cells write it: the one place a day is
    /// formatted, in the invariant culture whatever the server's.
    /// </summary>
    public static string Iso(DateOnly date) => date.ToString(Format, CultureInfo.InvariantCulture);

    /// <summary>A date the app wrote itself (<see cref="Iso"/>) or a setting already validated as one.</summary>
    /// <exception cref="FormatException"><paramref name="text"/> is not a <c>yyyy-MM-dd</c> day.</exception>
    public static DateOnly Parse(string text) =>
        TryParse(text, out var date) ? date : throw new FormatException($"'{text}' is not a yyyy-MM-dd date.");

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
