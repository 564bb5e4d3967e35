namespace Pipeline.Reporting.Storage;

/// <summary>One revision as a unit's state row remembers it: enough to tell a replay from a correction.</summary>
public sealed record RevisionId(int Revision, string? SubmissionId, string ContentHash);
