using System.Text.Json;

namespace Pipeline.LocalHost.Tests;

/// <summary>The local host runs the function app in the runtime the Functions host gives its worker.</summary>
public sealed class RuntimeConfigTests
{
    /// <summary>The runtime's defaults for a setting a runtimeconfig leaves out (a console app's).</summary>
    private static readonly Dictionary<string, string> Defaults = new(StringComparer.Ordinal)
    {
        ["System.GC.Server"] = "false",
        ["System.GC.Concurrent"] = "true",
    };

    private const string WorkerConfig = "Pipeline.Functions.runtimeconfig.json";

    [Fact]
    public void The_local_host_runs_with_the_runtime_settings_of_the_worker_process()
    {
        var worker = RuntimeSettings(WorkerConfig);
        var local = RuntimeSettings("Pipeline.LocalHost.runtimeconfig.json");
        Assert.Equal(worker, local);
    }

    [Fact]
    public void The_workers_idle_thread_pool_threads_wait_without_spinning()
    {
        // WorkerRuntime.props: spinning took CPU from the Functions host's process (and Azurite) and won no latency.
        var worker = RuntimeSettings(WorkerConfig);
        Assert.Equal("0", worker.GetValueOrDefault("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit")?.Trim('"'));
        Assert.Equal("false", worker["System.GC.Server"]);
    }

    /// <summary>The garbage collector's and the thread pool's settings of a runtimeconfig, defaults filled in.</summary>
    private static Dictionary<string, string> RuntimeSettings(string runtimeConfig)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, runtimeConfig)));
        var settings = new Dictionary<string, string>(Defaults, StringComparer.Ordinal);
        if (document.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties))
        {
            foreach (var property in properties.EnumerateObject()
                .Where(p => p.Name.StartsWith("System.GC.", StringComparison.Ordinal) || p.Name.StartsWith("System.Threading.", StringComparison.Ordinal)))
            {
                settings[property.Name] = property.Value.GetRawText();
            }
        }

        return settings;
    }
}
