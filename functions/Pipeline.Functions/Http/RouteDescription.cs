namespace Pipeline.Functions.Http;

/// <summary>What the OpenAPI document says about one HTTP function beyond its attributes: a summary.</summary>
public sealed record RouteDescription(string Summary);
