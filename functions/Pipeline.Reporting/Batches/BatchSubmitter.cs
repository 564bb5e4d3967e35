using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Time;

namespace Pipeline.Reporting.Batches;

/// <summary>
/// Accepts a batch fast: records it as queued, and makes its <c>report-submissions</c> message, the payload inside
/// the message when it fits and otherwise in a blob the message points to (claim check). The submit function hands
/// the message to its queue output binding, so that the host that writes it also wakes its own listener of that
/// queue (the Functions host's <c>SharedQueueWatcher</c>): the batch starts at once instead of after the listener's
/// back-off (up to maxPollingInterval). The host writes an output binding after the function returned, when the 202
/// may already be on its way; so before answering, the submitter puts a hidden copy of the message on the queue itself
/// (<see cref="BatchResumeOptions.UnsentAfter"/>), which the first run withdraws (<see cref="BatchMessage.Fallback"/>):
/// a message the host failed to write still starts the batch, later.
/// </summary>
public sealed class BatchSubmitter(BatchStore store, ReportingClock clock, IOptions<BatchResumeOptions> resumeOptions)
{
    public const int MaxRows = 10_000;

    /// <summary>
    /// A reporter token stores only its own unit's rows: a row per day of the correction window (8 days by default)
    /// with a few corrections each fits well under this; more is work done only to be refused.
    /// </summary>
    public const int MaxReporterRows = 50;

    public static int MaxRowsFor(Caller caller) => caller.Role == Role.Reporter ? MaxReporterRows : MaxRows;

    /// <summary>
    /// A queue message holds 64 KiB; with base64 encoding that is 48 KiB of message text. Larger payloads
    /// go to a blob, with a little room kept (for the fallback's id and pop receipt, <see cref="BatchMessage.Fallback"/>).
    /// </summary>
    public const int MaxInlineMessageBytes = 46 * 1024;

    /// <remarks>A body too large for a message goes to the blob as it is: no decoded or escaped copy of it is made.</remarks>
    public async Task<BatchSubmission> SubmitAsync(BatchFormat format, ReadOnlyMemory<byte> body, int rows, Caller caller, CancellationToken cancellationToken)
    {
        var batchId = Guid.NewGuid().ToString("N");
        // A workbook is binary (a zip), never text a message can carry: it always waits in a blob.
        var message = format != BatchFormat.Xlsx && body.Length <= MaxInlineMessageBytes ? new BatchMessage(batchId, Encoding.UTF8.GetString(body.Span), null) : null;
        var text = message is null ? null : Serialize(message);
        string? blob = null;
        if (message is null || Encoding.UTF8.GetByteCount(text!) > MaxInlineMessageBytes)
        {
            blob = $"{batchId}.{format.ToString().ToLowerInvariant()}";
            await store.Payloads.UploadBlobAsync(blob, new BinaryData(body), cancellationToken);
            message = new BatchMessage(batchId, null, blob);
            text = Serialize(message);
        }

        var batch = new BatchInfo(batchId, BatchStatus.Queued, format, rows, caller, clock.UtcNow, null, blob);
        try
        {
            await store.CreateAsync(batch, cancellationToken);
            var fallback = await store.Queue.SendMessageAsync(text, resumeOptions.Value.UnsentAfter, cancellationToken: cancellationToken);
            return new BatchSubmission(batch, Serialize(message with { Fallback = new QueuedCopy(fallback.Value.MessageId, fallback.Value.PopReceipt) }));
        }
        catch when (blob is not null)
        {
            // No message will ever claim the payload: the caller is told to send the batch again, so remove it now.
            await DeleteUnclaimedAsync(blob);
            throw;
        }
    }

    private async Task DeleteUnclaimedAsync(string blob)
    {
        try
        {
            await store.Payloads.DeleteBlobIfExistsAsync(blob, cancellationToken: CancellationToken.None);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
        {
            // Storage is down altogether; the original fault is the one to report.
        }
    }

    public static string Serialize(BatchMessage message) => JsonSerializer.Serialize(message, JsonDefaults.Web);
}
