namespace Pipeline.Reporting.Validation;

/// <summary>An argument rendered as "A + B" of indicator labels.</summary>
public sealed record IndicatorSum(IReadOnlyList<string> Keys);
