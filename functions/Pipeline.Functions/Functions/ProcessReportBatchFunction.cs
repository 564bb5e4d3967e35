using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Reporting.Batches;

namespace Pipeline.Functions.Functions;

/// <summary>
/// Processes accepted batches from the <c>report-submissions</c> queue. The host retries a failed message
/// (host.json: maxDequeueCount 5) and then moves it to <c>report-submissions-poison</c>; the last attempt
/// records in the batch which rows were left undone and why.
/// </summary>
public sealed class ProcessReportBatchFunction(BatchProcessor processor)
{
    [Function("ProcessReportBatch")]
    public Task Run(
        [QueueTrigger(BatchStore.QueueName, Connection = "PipelineStorage")] QueueMessage message,
        CancellationToken cancellationToken) =>
        processor.ProcessAsync(message.MessageText, message.DequeueCount, cancellationToken);
}
