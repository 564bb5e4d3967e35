namespace Pipeline.Reporting.Validation;

/// <summary>A range of UTF-16 code units, both ends included.</summary>
public sealed record CharacterRange(int First, int Last);
