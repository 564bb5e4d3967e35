namespace Pipeline.Reporting.Catalogue;

/// <summary>A cross-field rule: <c>Key</c> may not exceed the sum of <c>AtMostSumOf</c> (checked only when all are present).</summary>
public sealed record IndicatorConstraint(string Key, IReadOnlyList<string> AtMostSumOf);
