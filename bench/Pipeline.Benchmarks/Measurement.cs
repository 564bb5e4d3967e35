using System.Diagnostics;

namespace Pipeline.Benchmarks;

/// <summary>A throughput run: operations, elapsed time, and latency percentiles.</summary>
public sealed record Measurement(string Name, long Operations, TimeSpan Elapsed, double P50Ms, double P99Ms)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;

    /// <summary>Runs <paramref name="operation"/> from <paramref name="concurrency"/> workers until <paramref name="duration"/> passes.</summary>
    public static async Task<Measurement> RunAsync(string name, int concurrency, TimeSpan duration, Func<long, Task> operation)
    {
        var latencies = new List<double>[concurrency];
        long next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var mine = latencies[worker] = new List<double>();
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(Interlocked.Increment(ref next));
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        clock.Stop();
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Measurement(name, all.Count, clock.Elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    public override string ToString() =>
        $"{Name,-48} {PerSecond,10:F0} /s   p50 {P50Ms,7:F1} ms   p99 {P99Ms,7:F1} ms   ({Operations} in {Elapsed.TotalSeconds:F1} s)";
}
