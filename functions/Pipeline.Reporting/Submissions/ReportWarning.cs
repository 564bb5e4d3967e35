namespace Pipeline.Reporting.Submissions;

/// <summary>A soft-rule finding: accepted, but worth a second look. <c>Reference</c> is the median or previous value.</summary>
public sealed record ReportWarning(string Indicator, string Rule, decimal Value, decimal Reference);
