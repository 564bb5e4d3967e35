using System.Diagnostics;

namespace Pipeline.Benchmarks;

/// <summary>When one operation of a run started and ended, in <see cref="Stopwatch"/> timestamps.</summary>
public readonly record struct OperationSpan(long Start, long End)
{
    public double Milliseconds => Stopwatch.GetElapsedTime(Start, End).TotalMilliseconds;
}
