namespace Pipeline.LocalHost;

/// <summary>
/// The route space the Functions host keeps for its own APIs (<c>/admin/...</c>, <c>/runtime/...</c>).
/// The host refuses, at start-up, every HTTP function whose route, trimmed of <c>/</c> and lower-cased, starts
/// with <c>admin</c> or <c>runtime</c> (so <c>administration</c> and <c>runtimeinfo</c> too): the function is in
/// error and its route answers 404. Source: <c>ScriptHost.ValidateHttpFunction</c>,
/// src/WebJobs.Script/Host/ScriptHost.cs of Azure/azure-functions-host (host 4.1037); seen when this app ran on
/// that host with its token routes under <c>admin/</c>.
/// </summary>
public static class ReservedRoutes
{
    /// <summary>The host's own words for the refusal.</summary>
    public const string ConflictMessage = "The specified route conflicts with one or more built in routes.";

    private static readonly string[] Prefixes = ["admin", "runtime"];

    public static bool Conflicts(string route)
    {
        var normalized = route.Trim('/').ToLowerInvariant();
        return Prefixes.Any(prefix => normalized.StartsWith(prefix, StringComparison.Ordinal));
    }
}
