namespace Pipeline.Reporting.Submissions;

/// <summary>
/// A report as received from any client (JSON, CSV row, form), before validation. Every field may be
/// missing or wrong; the validator names what is. The date is read once, when the input is made
/// (<see cref="Date"/>).
/// </summary>
public sealed record ReportInput(
    string? UnitCode,
    string? ReportDate,
    string? SubmissionId,
    IReadOnlyDictionary<string, InputValue> Values,
    string? Notes,
    string? ReporterName,
    string? ReporterPhone)
{
    private readonly string? reportDate = ReportDate;

    public string? ReportDate
    {
        get => reportDate;
        init
        {
            reportDate = value;
            Date = Submissions.ReportDate.Read(value);
        }
    }

    /// <summary>How <see cref="ReportDate"/> reads.</summary>
    public ReportDate Date { get; private init; } = Submissions.ReportDate.Read(ReportDate);

    /// <summary>An input from the text of each field, indexed by <see cref="ReportField.Slot"/> (as the CSV reader has them).</summary>
    public static ReportInput FromFields(ReadOnlySpan<string?> texts, IReadOnlyDictionary<string, InputValue> values) =>
        new(texts[ReportShape.UnitCode.Slot], texts[ReportShape.ReportDate.Slot], texts[ReportShape.SubmissionId.Slot], values,
            texts[ReportShape.Notes.Slot], texts[ReportShape.ReporterName.Slot], texts[ReportShape.ReporterPhone.Slot]);
}
