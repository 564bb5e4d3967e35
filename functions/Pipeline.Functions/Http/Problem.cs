namespace Pipeline.Functions.Http;

/// <summary>
/// An RFC 9457 problem body; <c>errors</c> maps field paths to messages; a 5xx carries the <c>correlationId</c> under
/// which its cause is logged.
/// </summary>
public sealed record Problem(
    string Type,
    string Title,
    int Status,
    string? Detail,
    IReadOnlyDictionary<string, string[]>? Errors = null,
    string? CorrelationId = null);
