using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.LocalHost;

/// <summary>What the local host reads from the app's host.json: the settings the real host would apply.</summary>
public sealed record HostSettings(string RoutePrefix)
{
    public static HostSettings Load(string hostJsonPath)
    {
        if (!File.Exists(hostJsonPath))
        {
            return new HostSettings("api");
        }

        var root = JsonNode.Parse(File.ReadAllText(hostJsonPath), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var prefix = root?["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";
        return new HostSettings(prefix.Trim('/'));
    }
}
