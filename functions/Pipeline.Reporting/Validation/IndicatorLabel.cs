namespace Pipeline.Reporting.Validation;

/// <summary>An argument that is rendered as the indicator's label in the reader's language.</summary>
public sealed record IndicatorLabel(string Key);
