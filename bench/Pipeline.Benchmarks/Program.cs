using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Benchmarks;
using Pipeline.Reporting.Units;

// Usage: dotnet run -c Release --project bench/Pipeline.Benchmarks -- [storage] [batch] [rollup] [micro] [--seconds N] [--clients N] [--json FILE]
//        [--rollup-small]: the rollup's 10,000-unit point only (a quick iteration; the figures of the table need both points)
//        dotnet run -c Release --project bench/Pipeline.Benchmarks -- --markdown BEFORE.json [AFTER.json] [--into docs/performance.md]
// No part named: storage, batch and rollup. Each storage-bound part starts its own in-memory Azurite on free ports.
if (args.Contains("--markdown"))
{
    return await MarkdownTable.RunAsync(args);
}

string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var optionValues = new[] { "--seconds", "--clients", "--json" }.Select(Option).ToHashSet();
var parts = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && !optionValues.Contains(a)).ToHashSet();
if (parts.Count == 0)
{
    parts = ["storage", "batch", "rollup"];
}

if (parts.Except(["storage", "batch", "rollup", "micro"]).ToList() is [_, ..] unknown)
{
    await Console.Error.WriteLineAsync($"Unknown part(s): {string.Join(", ", unknown)}. Parts: storage batch rollup micro.");
    return 2;
}

var seconds = TimeSpan.FromSeconds(int.Parse(Option("--seconds") ?? "5"));
var clients = int.Parse(Option("--clients") ?? "16");
var json = Option("--json");
var warmUp = TimeSpan.FromSeconds(1);
var root = FindRoot();
var figures = new Figures();
var run = Stopwatch.StartNew();
var failed = new List<string>();

// A part that fails (say, storage timing out under load) is reported and the run goes on: the JSON then holds the
// other parts' figures, and the exit code is 1.
async Task PartAsync(string part, string title, Func<Task> body)
{
    if (!parts.Contains(part))
    {
        return;
    }

    Console.WriteLine();
    Console.WriteLine($"== {title} ==");
    var clock = Stopwatch.StartNew();
    try
    {
        await body();
    }
    catch (Exception e)
    {
        failed.Add(part);
        Console.WriteLine($"  PART FAILED: {part}: {e}");
    }

    Console.WriteLine($"  ({part}: {clock.Elapsed.TotalSeconds:F0} s)");
}

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}; {seconds.TotalSeconds:F0} s per rate, {clients} clients");
Console.WriteLine("Azurite: in memory (--inMemoryPersistence), one fresh instance per part and per rollup scale point; each ratio is measured side by side in one Azurite");

await PartAsync("storage", "ingest: HTTP ingest vs the raw storage work of one report (embedded registry)", async () =>
{
    await using var host = await BenchmarkHost.StartAsync(root, traceAzuriteGc: true);
    var raw = new RawStorageBaseline(host.Tables);
    var ingest = new HttpIngest(host.Http, host.Services.GetRequiredService<UnitRegistry>(), host.Today, BenchmarkHost.CorrectionWindowDays);

    // Warm-up (JIT, connection pools) until the JIT is at rest, then side by side; the raw transactions run before and
    // after the ingest and the baseline is their mean, since Azurite slows as its store grows. The rounds are short:
    // the JIT needs calls and quiet, and every warm-up report is a correction more on the measured run's unit days
    // (a day past 20 revisions is no longer held whole by its state row, and each report of it reads the day's ids).
    var ingestWarmUp = warmUp / 2;
    Figures.Note(await JitWarmUp.RunAsync(async () =>
    {
        await raw.ReportTransactionsAsync(clients, ingestWarmUp);
        await ingest.RunAsync(clients, ingestWarmUp);
    }));
    var cost = ProcessCost.Start();
    var rawBefore = await raw.ReportTransactionsAsync(clients, seconds);
    Console.WriteLine(rawBefore);
    var rawBeforeCost = cost.Of(rawBefore);
    cost = ProcessCost.Start();
    var ingested = await ingest.RunAsync(clients, seconds);
    Console.WriteLine(ingested);
    var ingestCost = cost.Of(ingested);
    var ingestResent = ingest.Resent;
    cost = ProcessCost.Start();
    var rawAfter = await raw.ReportTransactionsAsync(clients, seconds);
    Console.WriteLine(rawAfter);
    foreach (var line in new[] { rawBeforeCost, ingestCost, cost.Of(rawAfter) })
    {
        Figures.Note(line);
    }

    foreach (var measured in new[] { rawBefore, ingested, rawAfter })
    {
        Figures.Note(measured.TailAgainst(host.AzuriteFullCollections));
    }

    Figures.Note($"ingest: {ingestResent} answer(s) 503 + Retry-After, each waited out and the report sent again with its submission id (the wait is in its latency)");
    figures.Add(Figure.Of($"ingest rate, {clients} clients, vs raw 2-entity transactions", ingested.PerSecond, "reports/s",
        (rawBefore.PerSecond + rawAfter.PerSecond) / 2, ">= 0.8"));
    figures.Add(Figure.Of("ingest p99 latency vs p50", ingested.P99Ms, "ms", ingested.P50Ms, "<= 2.5"));

    var (microseconds, note) = ValidationTiming.Measure(host.Services, ValidationSample(host.Today));
    Figures.Note($"validation: {note}");
    if (microseconds is { } us)
    {
        figures.Add(Figure.Absolute("ingest validation per report", us, "us", "<= 5"));
    }
});

await PartAsync("batch", "batch: 10,000 rows through the queue vs the raw 100-entity transaction ceiling (registry: 100 counties x 100 townships)", async () =>
{
    var registry = SyntheticRegistry.Create(100, 100);
    await using var host = await BenchmarkHost.StartAsync(root, registry);
    var raw = new RawStorageBaseline(host.Tables);
    var batches = new BatchIngest(host.Http, host.Tables);
    var date = host.Today.AddDays(-1);

    // Warm-up until the JIT is at rest: batches of the days before (the queue path; 1,000 rows, the processor's block, so
    // that the measured batch's code is called as often: after 200-row batches it still compiled 1,200 methods), and
    // short runs of raw transactions.
    var warmUpDay = 0;
    Figures.Note(await JitWarmUp.RunAsync(async () =>
    {
        await batches.StoreAsync(registry.Townships.Take(1_000).ToList(), date.AddDays(-++warmUpDay));
        await raw.FullTransactionsAsync(clients, warmUp);
    }));
    var cost = ProcessCost.Start();
    var rawBefore = await raw.FullTransactionsAsync(clients, seconds);
    Console.WriteLine(rawBefore);
    var rawBeforeCost = cost.Of(rawBefore);
    cost = ProcessCost.Start();
    var batch = await batches.RunAsync(registry.Townships.Take(BatchIngest.MaxRows).ToList(), date);
    Console.WriteLine(batch);
    var batchCost = cost.Of(batch);
    cost = ProcessCost.Start();
    var rawAfter = await raw.FullTransactionsAsync(clients, seconds);
    Console.WriteLine(rawAfter);
    foreach (var line in new[] { rawBeforeCost, batchCost, cost.Of(rawAfter) })
    {
        Figures.Note(line);
    }

    var entitiesPerSecond = (rawBefore.PerSecond + rawAfter.PerSecond) / 2 * 100;
    Figures.Note($"raw 100-entity transactions: {entitiesPerSecond:F0} entities/s (two per row: {entitiesPerSecond / 2:F0} rows/s)");
    figures.Add(Figure.Of("batch of 10,000 rows vs raw transaction ceiling (entities/s / 2)", batch.PerSecond, "rows/s", entitiesPerSecond / 2, ">= 0.8"));
});

await PartAsync("rollup", "rollup: a generated day, 10,000 and 100,000 units, each in a fresh Azurite", async () =>
{
    var scale = new RollupScale(root);
    var small = await scale.RunAsync(100, 100, warmUp: true, figures);
    if (args.Contains("--rollup-small"))
    {
        return;
    }

    var large = await scale.RunAsync(100, 1_000, warmUp: false, figures);
    RollupScale.AddGrowth(small, large, figures);
});

if (parts.Contains("micro"))
{
    // BenchmarkDotNet's long runs over the library's classes live in their own project (see its csproj); not in the JSON.
    var start = new ProcessStartInfo("dotnet", ["run", "-c", "Release", "--project", Path.Combine(root, "bench", "Pipeline.MicroBenchmarks")]);
    using var micro = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
    await micro.WaitForExitAsync();
}

figures.PrintSummary();
Console.WriteLine($"run: {run.Elapsed.TotalMinutes:F1} min");
if (json is not null)
{
    await figures.WriteJsonAsync(json);
    Console.WriteLine($"figures written to {json}");
}

if (failed.Count > 0)
{
    Console.WriteLine($"FAILED parts: {string.Join(", ", failed)} (their figures are missing)");
}

return failed.Count == 0 && figures.All.All(f => double.IsFinite(f.Ratio)) ? 0 : 1;

// One 12-value report of the embedded registry's first township, dated today (as the micro-benchmark's).
static byte[] ValidationSample(DateOnly today) => System.Text.Encoding.UTF8.GetBytes(
    $$$"""{"unitCode":"623024100","reportDate":"{{{today:yyyy-MM-dd}}}","submissionId":"a1b2c3","values":{"returnees":12,"fromEpidemicAreas":3,"fromHubei":1,"fromWuhan":0,"homeQuarantine":3,"feverReferred":0,"vehiclesChecked":20,"personsChecked":40,"turnedBack":2,"householdsSurveyed":30,"personsSurveyed":90,"donatedCashYuan":1500.5},"notes":"正常","reporter":{"name":"卓玛","phone":"13800138000"}}""");

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
