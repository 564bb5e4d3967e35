using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;

namespace Pipeline.LocalHost;

/// <summary>Loads the <c>Values</c> of a Core Tools style local.settings.json, as <c>func start</c> would.</summary>
public static class LocalSettings
{
    public static IConfigurationBuilder AddLocalSettings(this IConfigurationBuilder configuration, string path)
    {
        if (!File.Exists(path))
        {
            return configuration;
        }

        var values = JsonNode.Parse(File.ReadAllText(path))?["Values"]?.AsObject() ?? [];
        return configuration.AddInMemoryCollection(values.Select(v =>
            new KeyValuePair<string, string?>(v.Key.Replace("__", ":", StringComparison.Ordinal), v.Value?.ToString())));
    }
}
