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

    [Fact]
    public void The_local_host_collects_garbage_as_the_worker_process_does()
    {
        var worker = GcSettings("Pipeline.Functions.runtimeconfig.json");
        var local = GcSettings("Pipeline.LocalHost.runtimeconfig.json");
        Assert.Equal(worker, local);
    }

    private static Dictionary<string, string> GcSettings(string runtimeConfig)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, runtimeConfig)));
        var settings = new Dictionary<string, string>(Defaults, StringComparer.Ordinal);
        if (document.RootElement.GetProperty("runtimeOptions").TryGetProperty("configProperties", out var properties))
        {
            foreach (var property in properties.EnumerateObject().Where(p => p.Name.StartsWith("System.GC.", StringComparison.Ordinal)))
            {
                settings[property.Name] = property.Value.GetRawText();
            }
        }

        return settings;
    }
}
