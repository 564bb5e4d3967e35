using System.Net.Http.Headers;
using BenchmarkDotNet.Running;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Azurite;
using Pipeline.Benchmarks;
using Pipeline.LocalHost;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;

// Usage: dotnet run -c Release --project bench/Pipeline.Benchmarks -- [storage] [micro] [--seconds N] [--clients N]
var parts = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
if (parts.Count == 0)
{
    parts = ["storage", "micro"];
}

int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
var seconds = TimeSpan.FromSeconds(Option("--seconds", 10));
var clients = Option("--clients", 16);

Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");

if (parts.Contains("storage"))
{
    var root = FindRoot();
    await using var azurite = new AzuriteProcess(root);
    await azurite.StartNewAsync();
    Console.WriteLine($"Azurite on ports {azurite.BlobPort}/{azurite.QueuePort}/{azurite.TablePort}");

    var host = LocalFunctionsHost.Build([
        $"--PipelineStorage={azurite.ConnectionString}",
        "--Pipeline:AdminToken=bench-admin-token-0123456789",
        "--LocalHost:Urls=http://127.0.0.1:0",
        "--LocalHost:Settings=/nonexistent",
        "--Logging:LogLevel:Default=Warning",
    ]);
    await host.StartAsync();
    await host.Services.GetRequiredService<StorageInitializer>().Ready;
    var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    using var http = new HttpClient { BaseAddress = new Uri(address + "/") };
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "bench-admin-token-0123456789");

    var storage = host.Services.GetRequiredService<StorageClients>();
    var raw = new RawStorageBaseline(storage.Tables);
    var clock = host.Services.GetRequiredService<ReportingClock>();
    var ingest = new HttpIngest(http, host.Services.GetRequiredService<UnitRegistry>(), clock.Today, clock.CorrectionWindowDays);

    // Warm-up (JIT, connection pools), then each figure side by side; the raw baseline runs before and after
    // the ingest and the ratio takes their mean, since Azurite slows as its store grows.
    var warmUp = TimeSpan.FromSeconds(2);
    await raw.UpsertsAsync(clients, warmUp);
    await ingest.RunAsync(clients, warmUp);
    var upsertsBefore = await raw.UpsertsAsync(clients, seconds);
    Console.WriteLine(upsertsBefore);
    Console.WriteLine(await raw.PointReadsAsync(clients, seconds));
    var reportWork = await raw.ReadAndTransactAsync(clients, seconds);
    Console.WriteLine(reportWork);
    var ingested = await ingest.RunAsync(clients, seconds);
    Console.WriteLine(ingested);
    var upsertsAfter = await raw.UpsertsAsync(clients, seconds);
    Console.WriteLine(upsertsAfter);
    var upserts = (upsertsBefore.PerSecond + upsertsAfter.PerSecond) / 2;
    Console.WriteLine($"  ratio HTTP ingest / raw upserts: {ingested.PerSecond / upserts:F2} (target >= 0.9)");
    Console.WriteLine($"  ratio HTTP ingest / raw storage work of one report: {ingested.PerSecond / reportWork.PerSecond:F2}");

    var (scan, _) = await raw.ScanAsync(20_000, 8, "benchrawscan");
    Console.WriteLine(scan);

    await host.StopAsync();
}

if (parts.Contains("micro"))
{
    BenchmarkRunner.Run<ValidationBenchmarks>();
    BenchmarkRunner.Run<RenderingBenchmarks>();
}

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
