using System.Diagnostics;
using System.Globalization;
using System.Runtime;

namespace Pipeline.Benchmarks;

/// <summary>
/// The rollup of one generated day at one scale, in a fresh Azurite (Azurite answers every table query by
/// scanning the whole table, so a query's cost grows with the table: each point starts from an empty one).
/// The day is stored through the batch API; then, side by side in the same Azurite: the raw scan of exactly the
/// rows the rollup reads (before and after the build, averaged), and the build as the system runs it
/// (<c>POST /api/rollups/{date}</c>: read the day and the day before, compose, render four files, write blobs and
/// index), with the peak of this process's managed heap above what it held before (the host runs in this process).
/// </summary>
public sealed class RollupScale(string repositoryRoot)
{
    /// <summary>
    /// The host's clock runs this far ahead of storage time, as at the nightly build (00:30, reports before 22:00): the
    /// build's check for reports that landed while it read then finds none, instead of every row just loaded.
    /// </summary>
    private static readonly TimeSpan NightlyGap = TimeSpan.FromHours(1);

    /// <summary>Reports of each warm-up day: enough to run every step of a build before the measured one.</summary>
    private const int WarmUpReports = 500;

    /// <summary>
    /// Warm-up builds at most. The runtime promotes a method to optimized code only after it has been called 30 times
    /// since the JIT was last quiet for 100 ms, so one warm-up build leaves much of the build's code unoptimized, and the
    /// measured build then pays the promotions (thousands of methods at 100,000 units) on the cores it renders with.
    /// </summary>
    private const int MaxWarmUpBuilds = 6;

    /// <summary>A warm-up build that compiles fewer methods than this finds the code as it stays: the warm-up ends.</summary>
    private const int SettledJit = 100;

    public async Task<RollupPoint> RunAsync(int counties, int townshipsPerCounty, bool warmUp, Figures figures)
    {
        var registry = SyntheticRegistry.Create(counties, townshipsPerCounty);
        await using var host = await BenchmarkHost.StartAsync(repositoryRoot, registry, NightlyGap);
        var date = host.Today.AddDays(-1);
        var units = registry.Townships.Count;
        var label = $"rollup {units.ToString("N0", CultureInfo.InvariantCulture)} units";

        var reporting = SyntheticDay.Reporting(registry);
        var batches = new BatchIngest(host.Http, host.Tables);
        var load = Stopwatch.StartNew();
        await batches.StoreAsync(reporting, date);
        load.Stop();
        Figures.Note($"{label}: {reporting.Count:N0} reports stored through the batch API in {load.Elapsed.TotalSeconds:F1} s ({counties} counties x {townshipsPerCounty:N0} townships)");

        // The nightly builds of the days before, as on any day but the first, at the first scale point only: a few
        // townships reported then, so that they warm up the read, compose and render path (the JIT, the connection
        // pools) with rows, day after day until the JIT has settled; later points run in the same process, already
        // warm. (The measured build reads the day before's rows itself; those days' rollups only add their index rows to
        // the cumulative totals.)
        var warmUps = new List<string>();
        for (var day = 1; warmUp && day <= MaxWarmUpBuilds; day++)
        {
            await batches.StoreAsync(reporting.Take(WarmUpReports).ToList(), date.AddDays(-day));
            var (took, compiled) = await CompilingAsync(() => BuildAsync(host.Http, date.AddDays(-day)));
            warmUps.Add($"{took.TotalSeconds:F2} s ({compiled:N0} methods compiled)");
            if (compiled < SettledJit)
            {
                break;
            }
        }

        var raw = new RawStorageBaseline(host.Tables);
        var countyCodes = registry.Counties.Select(c => c.Code).ToList();
        var scanCost = ProcessCost.Start();
        var firstScan = await raw.DayScanAsync(countyCodes, date, reporting.Count);
        var scanCpu = scanCost.Whole();

        TimeSpan build;
        long jitted;
        MemorySampler memory;
        var buildCost = ProcessCost.Start();
        using (memory = MemorySampler.Start())
        {
            (build, jitted) = await CompilingAsync(() => BuildAsync(host.Http, date));
        }

        var buildCpu = buildCost.Whole();

        var secondScan = await raw.DayScanAsync(countyCodes, date, reporting.Count);
        var scan = (firstScan + secondScan) / 2;
        Figures.Note($"{label}: raw scan {firstScan.TotalSeconds:F2} s before the build, {secondScan.TotalSeconds:F2} s after ({reporting.Count / scan.TotalSeconds:F0} rows/s); " +
            (warmUp ? $"warm-up builds of the days before ({WarmUpReports} reports each) {string.Join(", ", warmUps)}; " : "") +
            $"build {memory}, {jitted:N0} methods compiled during it; raw scan before: {scanCpu}; build: {buildCpu}");
        figures.Add(Figure.Of($"{label}: whole build vs raw scan of its rows", build.TotalSeconds, "s", scan.TotalSeconds, "<= 1.2"));
        figures.Add(Figure.Absolute($"{label}: heap per unit", memory.HeapPeakAbove / 1024.0 / units, "KB", "<= 2"));
        return new RollupPoint(units, reporting.Count, scan, build, memory.HeapPeakAbove);
    }

    /// <summary>10k -> 100k: the build's time and heap should grow as the units do (ratio 1 = linear).</summary>
    public static void AddGrowth(RollupPoint small, RollupPoint large, Figures figures)
    {
        var units = (double)large.Units / small.Units;
        var label = $"rollup growth {small.Units.ToString("N0", CultureInfo.InvariantCulture)} -> {large.Units.ToString("N0", CultureInfo.InvariantCulture)} units";
        Figures.Note($"{label}: raw scan x{large.RawScan / small.RawScan:F1}, units x{units:F0}");
        figures.Add(Figure.Of($"{label}: build time growth vs unit growth", large.Build / small.Build, "x", units, "<= 1.2"));
        figures.Add(Figure.Of($"{label}: heap growth vs unit growth", (double)large.HeapPeak / small.HeapPeak, "x", units, "<= 1.2"));
    }

    /// <summary>What <paramref name="run"/> returns, with the number of methods the JIT compiled meanwhile (in this process: the host's too).</summary>
    private static async Task<(TimeSpan Took, long Compiled)> CompilingAsync(Func<Task<TimeSpan>> run)
    {
        var before = JitInfo.GetCompiledMethodCount();
        var took = await run();
        return (took, JitInfo.GetCompiledMethodCount() - before);
    }

    /// <summary>
    /// Builds the day's rollup. A 503 (the storage timed out under load) is retried after a pause, twice at most, and
    /// said: on a quiet machine it does not happen, and one slow query should not lose the whole run's figures.
    /// </summary>
    /// <returns>How long the successful attempt took.</returns>
    private static async Task<TimeSpan> BuildAsync(HttpClient http, DateOnly date)
    {
        for (var attempt = 1; ; attempt++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.PostAsync($"api/rollups/{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}", null);
            if (response.IsSuccessStatusCode)
            {
                return clock.Elapsed;
            }

            var problem = $"The rollup build of {date:yyyy-MM-dd} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
            if ((int)response.StatusCode != 503 || attempt == 3)
            {
                throw new InvalidOperationException(problem);
            }

            Figures.Note($"{problem}; building again (attempt {attempt + 1})");
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
    }
}
