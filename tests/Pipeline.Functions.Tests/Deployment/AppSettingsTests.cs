using System.Text.Json;
using System.Text.RegularExpressions;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Storage;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Deployment;

/// <summary>Every setting the code reads is deployed by the Bicep and has a local default in the sample settings.</summary>
public sealed class AppSettingsTests
{
    /// <summary>The settings the code reads, taken from the code itself: the options class and the named settings.</summary>
    private static IEnumerable<string> SettingsTheCodeReads() =>
        typeof(PipelineOptions).GetProperties()
            .Select(p => $"{PipelineOptions.Section}__{p.Name}")
            .Append(StorageClientFactory.ConnectionName)
            .Append(TelemetrySettings.ConnectionStringName);

    /// <summary>Settings the Functions host reads, not the app: present locally, set differently (or by the platform) in Azure.</summary>
    private static readonly string[] HostOnly = ["AzureWebJobsStorage", "FUNCTIONS_WORKER_RUNTIME"];

    private static string Bicep() =>
        string.Join("\n", Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "infra"), "*.bicep", SearchOption.AllDirectories).Select(File.ReadAllText));

    private static IReadOnlyList<string> SampleSettings()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().Select(p => p.Name).ToList();
    }

    [Fact]
    public void Every_setting_the_code_reads_is_in_main_bicep_and_in_the_sample()
    {
        var bicep = Bicep();
        var sample = SampleSettings();
        foreach (var setting in SettingsTheCodeReads())
        {
            // Identity-based connections are deployed as <name>__accountName; a connection string locally.
            Assert.True(Regex.IsMatch(bicep, $@"\b{Regex.Escape(setting)}(__\w+)?\s*:"), $"{setting} is not deployed by infra/");
            Assert.Contains(setting, sample);
        }
    }

    [Fact]
    public void The_sample_holds_nothing_the_code_does_not_read()
    {
        var known = SettingsTheCodeReads().Concat(HostOnly).ToHashSet();
        Assert.All(SampleSettings(), s => Assert.Contains(s, known));
    }

    [Fact]
    public void The_admin_token_is_deployed_only_as_a_key_vault_reference()
    {
        var line = Bicep().Split('\n').Single(l => l.TrimStart().StartsWith("Pipeline__AdminToken:", StringComparison.Ordinal));
        Assert.Contains("@Microsoft.KeyVault(", line);
    }
}
