namespace Pipeline.Benchmarks;

/// <summary>What one scale point of the rollup measured.</summary>
public sealed record RollupPoint(int Units, int Reports, TimeSpan RawScan, TimeSpan Build, long HeapPeak);
