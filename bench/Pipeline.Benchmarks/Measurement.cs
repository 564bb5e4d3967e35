using System.Diagnostics;
using Pipeline.Azurite;

namespace Pipeline.Benchmarks;

/// <summary>A throughput run: operations, elapsed time, and latency percentiles.</summary>
public sealed record Measurement(string Name, long Operations, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    /// <summary>Each operation's start and end (<see cref="Stopwatch"/> timestamps); empty for a run timed as a whole.</summary>
    public IReadOnlyList<OperationSpan> Spans { get; init; } = [];

    /// <summary>Runs <paramref name="operation"/> from <paramref name="concurrency"/> workers until <paramref name="duration"/> passes.</summary>
    public static async Task<Measurement> RunAsync(string name, int concurrency, TimeSpan duration, Func<long, Task> operation)
    {
        var spans = new List<OperationSpan>[concurrency];
        long next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = spans[worker] = new List<OperationSpan>();
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(Interlocked.Increment(ref next));
                mine.Add(new OperationSpan(started, Stopwatch.GetTimestamp()));
            }
        }));
        clock.Stop();
        var all = spans.SelectMany(s => s).ToList();
        var latencies = all.Select(s => s.Milliseconds).Order().ToList();
        return new Measurement(name, all.Count, clock.Elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99)) { Spans = all };
    }

    /// <summary>
    /// The run's slowest 1% against Azurite's full collections: how many of them ran during one, and p99 / p50 of the
    /// operations that did not. A stall of Azurite slows every operation in flight, so it is a larger share of a slower
    /// run's 1% (docs/performance.md, "Seventh round").
    /// </summary>
    public string TailAgainst(IReadOnlyList<AzuriteFullCollection> collections)
    {
        if (Spans.Count == 0)
        {
            return $"{Name}: no operations";
        }

        var during = collections.Where(c => Spans.Any(s => c.Overlaps(s.Start, s.End))).ToList();
        bool Stalled(OperationSpan s) => during.Any(c => c.Overlaps(s.Start, s.End));
        var slowest = Spans.OrderByDescending(s => s.Milliseconds).Take((int)Math.Ceiling(Spans.Count * 0.01)).ToList();
        var rest = Spans.Where(s => !Stalled(s)).Select(s => s.Milliseconds).Order().ToList();
        var without = rest.Count == 0 ? "none left" : $"{Percentile(rest, 0.99) / Percentile(rest, 0.50):F2}";
        var lengths = during.Count == 0 ? "" : $" ({string.Join(", ", during.Select(c => $"{c.Duration.TotalMilliseconds:F0} ms"))})";
        return $"{Name}: {during.Count} full collection(s) of Azurite's heap during the run{lengths}; " +
            $"of its slowest 1% ({slowest.Count}) {slowest.Count(Stalled)} ran during one; " +
            $"p99 / p50 {P99Ms / P50Ms:F2}, without the {Spans.Count - rest.Count} operations that ran during one {without}";
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    public override string ToString() =>
        $"{Name,-48} {PerSecond,10:F0} /s   p50 {P50Ms,7:F1} ms   p99 {P99Ms,7:F1} ms   ({Operations} in {Elapsed.TotalSeconds:F1} s)";
}
