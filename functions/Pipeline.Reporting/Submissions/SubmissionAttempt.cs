namespace Pipeline.Reporting.Submissions;

/// <summary>What became of one report of many: a result, or the storage fault that kept it from one.</summary>
public sealed record SubmissionAttempt(SubmissionResult? Result, Exception? Error);
