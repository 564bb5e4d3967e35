namespace Pipeline.Reporting.Rollups;

/// <summary>A rendered file, before it is stored.</summary>
public sealed record RenderedFile(string Format, string Name, string ContentType, byte[] Content);
