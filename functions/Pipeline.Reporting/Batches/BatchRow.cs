using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Batches;

/// <summary>One report of a batch: its 1-based position among the batch's reports, and what was read.</summary>
public sealed record BatchRow(int Row, ParsedReport Parsed);
