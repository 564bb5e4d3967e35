namespace Pipeline.Benchmarks;

/// <summary>One printed figure: what was measured, its target (or "baseline"), and its ratio where it has one.</summary>
public sealed record Figure(string Name, string Measured, string Target, string Ratio);
