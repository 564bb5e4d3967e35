using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;

namespace Pipeline.Benchmarks;

/// <summary>
/// The rollup of one generated day at one scale, in a fresh Azurite (Azurite answers every table query by
/// scanning the whole table, so a query's cost grows with the table: each point starts from an empty one).
/// Times, side by side in the same Azurite: the raw scan of exactly the rows the rollup reads (before and after
/// the build, averaged), the read phase alone (<see cref="DayReader"/>), and the build as the system runs it
/// (<c>POST /api/rollups/{date}</c>: read the day, yesterday's totals from its rollup (built first, as every night),
/// compose, render four files, write blobs and index).
/// </summary>
public sealed class RollupScale(string repositoryRoot)
{
    /// <summary>
    /// The host's clock runs this far ahead of storage time, as at the nightly build (00:30, reports before 22:00): the
    /// build's check for reports that landed while it read then finds none, instead of every row just loaded.
    /// </summary>
    private static readonly TimeSpan NightlyGap = TimeSpan.FromHours(1);

    public async Task<RollupPoint> RunAsync(int counties, int townshipsPerCounty, Figures? figures)
    {
        var registry = SyntheticRegistry.Create(counties, townshipsPerCounty);
        await using var host = await BenchmarkHost.StartAsync(repositoryRoot, registry, NightlyGap);
        var services = host.Services;
        var date = services.GetRequiredService<ReportingClock>().Today.AddDays(-1);
        var label = $"rollup {registry.Townships.Count:N0} units ({counties} counties x {townshipsPerCounty:N0})";

        var (reports, loadTime) = await new SyntheticDay(services.GetRequiredService<ReportWriter>(), registry).LoadAsync(date);
        var tables = services.GetRequiredService<StorageTables>();
        // The nightly build of the day before (nothing reported then), as on any day but the first; it also warms up.
        var yesterdaysBuild = Stopwatch.StartNew();
        (await host.Http.PostAsync($"api/rollups/{date.AddDays(-1):yyyy-MM-dd}", null)).EnsureSuccessStatusCode();
        yesterdaysBuild.Stop();
        var firstScan = await RawScanAsync(tables, registry, date, reports);

        var reader = services.GetRequiredService<DayReader>();
        var readClock = Stopwatch.StartNew();
        var read = await reader.ReadAsync(date, registry.Root, CancellationToken.None);
        readClock.Stop();
        if (read.Completeness.Reported != reports)
        {
            throw new InvalidOperationException($"The read phase saw {read.Completeness.Reported} reports of {reports}.");
        }

        read = null;
        TimeSpan build;
        MemorySampler memory;
        using (memory = MemorySampler.Start())
        {
            var buildClock = Stopwatch.StartNew();
            var response = await host.Http.PostAsync($"api/rollups/{date:yyyy-MM-dd}", null);
            buildClock.Stop();
            build = buildClock.Elapsed;
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"The rollup build answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        var phases = await PhasesAsync(services, date);
        var secondScan = await RawScanAsync(tables, registry, date, reports);
        var raw = (firstScan + secondScan) / 2;
        if (figures is not null)
        {
            figures.Add($"{label}: load via ReportStore", $"{reports:N0} reports in {loadTime.TotalSeconds:F1} s ({reports / loadTime.TotalSeconds:F0} /s)", "setup");
            figures.Add($"{label}: raw scan, {counties} partitions in parallel",
                $"{raw.TotalSeconds:F2} s ({reports / raw.TotalSeconds:F0} rows/s; {firstScan.TotalSeconds:F2} / {secondScan.TotalSeconds:F2})", "baseline");
            figures.Add($"{label}: read phase (DayReader)", $"{readClock.Elapsed.TotalSeconds:F2} s", "", $"{readClock.Elapsed / raw:F2} x raw scan");
            figures.Add($"{label}: build (POST /api/rollups/{{date}})", $"{build.TotalSeconds:F2} s", "",
                Figures.Verdict(build / raw, "<=", 1.2) + " x raw scan");
            figures.Add($"{label}: the day before's build (no reports: every unit missing)", $"{yesterdaysBuild.Elapsed.TotalSeconds:F2} s", "");
            figures.Add($"{label}: where the build's time goes (in-process)", phases, "");
            figures.Add($"{label}: build peak memory", memory.ToString(), "", $"{memory.HeapPeakAbove / (double)registry.Townships.Count / 1024:F1} KB heap per unit");
        }

        return new RollupPoint(registry.Townships.Count, reports, raw, readClock.Elapsed, build, memory.HeapPeakAbove, memory.WorkingSetPeakAbove);
    }

    /// <summary>The build's parts timed one by one in-process: compose (reads today, yesterday, cumulative), each renderer, the content hash.</summary>
    private static async Task<string> PhasesAsync(IServiceProvider services, DateOnly date)
    {
        var clock = Stopwatch.StartNew();
        var document = (await services.GetRequiredService<RollupBuilder>().BuildAsync(date, CancellationToken.None))[0];
        var parts = new List<string> { $"compose {clock.Elapsed.TotalSeconds:F2}" };
        document = document with { Revision = 2, GeneratedAt = DateTimeOffset.UtcNow };
        foreach (var renderer in services.GetServices<IRollupRenderer>())
        {
            clock.Restart();
            var file = renderer.Render(document);
            parts.Add($"{file.Format} {clock.Elapsed.TotalSeconds:F2} ({file.Content.Length / 1048576.0:F1} MB)");
        }

        clock.Restart();
        RollupService.Hash(document);
        parts.Add($"hash {clock.Elapsed.TotalSeconds:F2} s");
        return string.Join(", ", parts);
    }

    /// <summary>Exactly the rows the rollup reads (a county's day, <see cref="ReportKeys.DayRange"/>), as <see cref="TableEntity"/>, the counties in parallel as the rollup reads them.</summary>
    private static async Task<TimeSpan> RawScanAsync(StorageTables tables, UnitRegistry registry, DateOnly date, int expected)
    {
        var clock = Stopwatch.StartNew();
        var counts = await DayReader.PerCountyAsync(registry.Counties, async (county, ct) =>
        {
            var (from, to) = ReportKeys.DayRange(date);
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {county.Code} and RowKey ge {from} and RowKey lt {to}");
            var rows = 0;
            await foreach (var _ in tables.Reports.QueryAsync<TableEntity>(filter, cancellationToken: ct))
            {
                rows++;
            }

            return rows;
        }, CancellationToken.None);
        clock.Stop();
        return counts.Sum() == expected
            ? clock.Elapsed
            : throw new InvalidOperationException($"The raw scan read {counts.Sum()} rows, not {expected}.");
    }
}
