namespace Pipeline.Functions.Http;

public sealed record ReporterView(string Name, string Phone);
