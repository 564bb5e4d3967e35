namespace Pipeline.Reporting.Validation;

/// <summary>A rule that failed, by field path (<c>values.fromWuhan</c>) and message code; rendered per language later.</summary>
public sealed record FieldError(string Field, string Code, IReadOnlyList<object?> Args);
