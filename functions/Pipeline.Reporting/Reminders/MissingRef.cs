namespace Pipeline.Reporting.Reminders;

/// <summary>A township a message names, as the log shows it.</summary>
public sealed record MissingRef(string Code, string Name);
