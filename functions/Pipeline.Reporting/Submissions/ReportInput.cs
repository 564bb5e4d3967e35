namespace Pipeline.Reporting.Submissions;

/// <summary>One value as it arrived: a number, or the raw text that should have been one. Blank means "not reported".</summary>
public sealed record InputValue(decimal? Number, string Raw)
{
    public bool IsBlank => Number is null && string.IsNullOrWhiteSpace(Raw);

    public static InputValue Of(decimal number) => new(number, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>
/// A report as received from any client (JSON, CSV row, form), before validation. Every field may be
/// missing or wrong; the validator names what is.
/// </summary>
public sealed record ReportInput(
    string? UnitCode,
    string? ReportDate,
    string? SubmissionId,
    IReadOnlyDictionary<string, InputValue> Values,
    string? Notes,
    string? ReporterName,
    string? ReporterPhone);
