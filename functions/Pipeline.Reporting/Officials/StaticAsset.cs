namespace Pipeline.Reporting.Officials;

public sealed record StaticAsset(byte[] Content, string ContentType, string ETag);
