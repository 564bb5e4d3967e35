namespace Pipeline.Reporting.Form;

public sealed record FormAsset(byte[] Content, string ContentType, string ETag);
