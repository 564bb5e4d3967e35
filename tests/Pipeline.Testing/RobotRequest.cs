using System.Text.Json;

namespace Pipeline.Testing;

/// <summary>One request a robot received, and whether it accepted it.</summary>
public sealed record RobotRequest(string Kind, string Content, JsonElement Body, bool Accepted, DateTimeOffset At);
