using BenchmarkDotNet.Running;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Benchmarks;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;

// Usage: dotnet run -c Release --project bench/Pipeline.Benchmarks -- [storage] [batch] [rollup] [micro] [--seconds N] [--clients N]
// No part named: all of them. Each storage-bound part starts its own in-memory Azurite on free ports.
var parts = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
if (parts.Count == 0)
{
    parts = ["storage", "batch", "rollup", "micro"];
}

int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
var seconds = TimeSpan.FromSeconds(Option("--seconds", 10));
var clients = Option("--clients", 16);
var root = FindRoot();
var figures = new Figures();

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
Console.WriteLine("Azurite: in memory (--inMemoryPersistence), one fresh instance per part and per rollup scale point; ratios are measured side by side in one Azurite");

if (parts.Contains("storage"))
{
    Console.WriteLine();
    Console.WriteLine("== storage: raw baseline and HTTP ingest (embedded registry) ==");
    await using var host = await BenchmarkHost.StartAsync(root);
    var raw = new RawStorageBaseline(host.Services.GetRequiredService<Pipeline.Reporting.Storage.StorageClients>().Tables);
    var clock = host.Services.GetRequiredService<ReportingClock>();
    var ingest = new HttpIngest(host.Http, host.Services.GetRequiredService<UnitRegistry>(), clock.Today, clock.CorrectionWindowDays);

    // Warm-up (JIT, connection pools), then each figure side by side; the raw upserts run before and after
    // the ingest and the ratio takes their mean, since Azurite slows as its store grows.
    var warmUp = TimeSpan.FromSeconds(2);
    await raw.UpsertsAsync(clients, warmUp);
    await ingest.RunAsync(clients, warmUp);
    var upsertsBefore = await raw.UpsertsAsync(clients, seconds);
    Console.WriteLine(upsertsBefore);
    var reads = await raw.PointReadsAsync(clients, seconds);
    Console.WriteLine(reads);
    var reportWork = await raw.ReadAndTransactAsync(clients, seconds);
    Console.WriteLine(reportWork);
    var ingested = await ingest.RunAsync(clients, seconds);
    Console.WriteLine(ingested);
    var upsertsAfter = await raw.UpsertsAsync(clients, seconds);
    Console.WriteLine(upsertsAfter);
    var upserts = (upsertsBefore.PerSecond + upsertsAfter.PerSecond) / 2;
    figures.Add($"raw single-entity upserts, {clients} concurrent (mean of before and after)", $"{upserts:F0} /s ({upsertsBefore.PerSecond:F0} / {upsertsAfter.PerSecond:F0})", "baseline");
    figures.Add($"raw point reads, {clients} concurrent", $"{reads.PerSecond:F0} /s", "");
    figures.Add($"raw point read + 2-row transaction, {clients} concurrent", $"{reportWork.PerSecond:F0} /s", "the storage work of one report");
    figures.Add($"HTTP ingest through the local host, {clients} clients", $"{ingested.PerSecond:F0} /s (p50 {ingested.P50Ms:F1} ms, p99 {ingested.P99Ms:F1} ms)", "",
        Figures.Verdict(ingested.PerSecond / upserts, ">=", 0.9) + " x raw upserts");
    figures.Add("HTTP ingest / raw storage work of one report", $"{ingested.PerSecond / reportWork.PerSecond:F2}", "");

    var (scan, _) = await raw.ScanAsync(20_000, 8, "benchrawscan");
    Console.WriteLine(scan);
    figures.Add("raw scan, 20,000 rows in 8 partitions", $"{scan.PerSecond:F0} rows/s", "baseline");
}

if (parts.Contains("batch"))
{
    Console.WriteLine();
    Console.WriteLine("== batch: 10,000 rows through the queue vs raw upserts, same Azurite (registry: 100 counties x 100 townships) ==");
    var registry = SyntheticRegistry.Create(100, 100);
    await using var host = await BenchmarkHost.StartAsync(root, registry);
    var raw = new RawStorageBaseline(host.Services.GetRequiredService<Pipeline.Reporting.Storage.StorageClients>().Tables);
    var upserts = await raw.UpsertsAsync(clients, seconds);
    Console.WriteLine(upserts);
    var date = host.Services.GetRequiredService<ReportingClock>().Today.AddDays(-1);
    var batch = await new BatchIngest(host.Http, registry, host.Services.GetRequiredService<Pipeline.Reporting.Batches.BatchStore>()).RunAsync(date, 10_000);
    Console.WriteLine(batch);
    figures.Add($"raw single-entity upserts, {clients} concurrent (batch's Azurite)", $"{upserts.PerSecond:F0} /s", "baseline");
    figures.Add("batch of 10,000 rows through the queue (POST to completed)", $"{batch.PerSecond:F0} rows/s ({batch.Elapsed.TotalSeconds:F1} s)", "",
        Figures.Verdict(batch.PerSecond / upserts.PerSecond, ">=", 5) + " x raw upserts");
}

if (parts.Contains("rollup"))
{
    Console.WriteLine();
    Console.WriteLine("== rollup: a generated day, 10,000 and 100,000 units, each in a fresh Azurite ==");
    var scale = new RollupScale(root);
    var small = await scale.RunAsync(100, 100, figures);
    var large = await scale.RunAsync(100, 1_000, figures);
    var units = (double)large.Units / small.Units;
    figures.Add($"rollup growth {small.Units:N0} -> {large.Units:N0} units (x{units:F0})",
        $"raw scan x{large.RawScan / small.RawScan:F1}, build x{large.Build / small.Build:F1}, heap x{(double)large.HeapPeak / small.HeapPeak:F1}",
        "", $"linear = x{units:F0}");
}

if (parts.Contains("micro"))
{
    BenchmarkRunner.Run<ValidationBenchmarks>();
    BenchmarkRunner.Run<RenderingBenchmarks>();
}

figures.PrintSummary();

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository.");
}
