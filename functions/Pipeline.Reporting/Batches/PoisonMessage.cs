namespace Pipeline.Reporting.Batches;

/// <summary>One message waiting in <c>report-submissions-poison</c>, as an operator sees it: ids and times, never its text.</summary>
/// <param name="Reason">A code: <c>notBatchMessage</c>, <c>unknownBatch</c>, or the first reason recorded on the batch's unprocessed rows; null when none is known.</param>
public sealed record PoisonMessage(string MessageId, string? BatchId, string? Reason, DateTimeOffset? InsertedAt, long DequeueCount);
