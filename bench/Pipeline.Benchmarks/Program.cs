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
    var upserts = await raw.UpsertsAsync(clients, seconds);
    Console.WriteLine(upserts);

    var clock = host.Services.GetRequiredService<ReportingClock>();
    var ingest = await new HttpIngest(http, host.Services.GetRequiredService<UnitRegistry>(), clock.Today, clock.CorrectionWindowDays)
        .RunAsync(clients, seconds);
    Console.WriteLine(ingest);
    Console.WriteLine($"  ratio HTTP ingest / raw upserts: {ingest.PerSecond / upserts.PerSecond:F2} (target >= 0.9)");

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
