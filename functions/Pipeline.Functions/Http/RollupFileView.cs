namespace Pipeline.Functions.Http;

/// <param name="Url">The download route of that revision (through the function, for scripts).</param>
/// <param name="Link">The route that answers a short-lived direct link to the file in Blob Storage (what the console uses).</param>
public sealed record RollupFileView(string Format, string Name, string Url, string Link, long Bytes, string Sha256);
