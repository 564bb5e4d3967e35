namespace Pipeline.Reporting.Validation;

/// <summary>A rule that failed, by field path (<c>values.fromWuhan</c>) and message code; rendered per language later.</summary>
public sealed record FieldError(string Field, string Code, IReadOnlyList<object?> Args);

/// <summary>An argument that is rendered as the indicator's label in the reader's language.</summary>
public sealed record IndicatorLabel(string Key);
