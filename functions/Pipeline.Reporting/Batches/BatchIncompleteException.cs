namespace Pipeline.Reporting.Batches;

/// <summary>Some rows of a batch failed (their errors inside); the message is retried (and, after the last attempt, goes to the poison queue).</summary>
public sealed class BatchIncompleteException(string batchId, int rows, AggregateException errors)
    : Exception($"Batch {batchId}: {rows} rows could not be processed", errors);
