using Azure.Storage.Queues;

namespace Pipeline.Reporting.Batches;

/// <summary>
/// A copy of a batch's message, sent hidden while a run works on the batch and kept hidden by a heartbeat (every
/// third of <see cref="BatchResumeOptions.After"/>), deleted when the run ends, whatever way it ends. A worker that
/// dies (no exception, no cleanup: the process is gone) stops the heartbeat, so the copy shows up at most
/// <c>After</c> later and the next run resumes after the rows already recorded, instead of waiting out the host's
/// 10-minute receive lease on the original. The copy counts as a delivery (<see cref="BatchMessage.Resumes"/>), so a
/// batch that kills its worker every time still ends in the poison queue.
/// </summary>
public sealed class BatchResumeGuard : IAsyncDisposable
{
    private readonly QueueClient queue;
    private readonly string messageId;
    private readonly CancellationTokenSource stop = new();
    private readonly Task beating;
    private string popReceipt;

    private BatchResumeGuard(QueueClient queue, string messageId, string popReceipt, TimeSpan after)
    {
        this.queue = queue;
        this.messageId = messageId;
        this.popReceipt = popReceipt;
        beating = BeatAsync(after, stop.Token);
    }

    public static async Task<BatchResumeGuard> StartAsync(QueueClient queue, BatchMessage message, TimeSpan after, CancellationToken cancellationToken)
    {
        var copy = BatchSubmitter.Serialize(message with { Resumes = message.Resumes + 1 });
        var sent = await queue.SendMessageAsync(copy, visibilityTimeout: after, cancellationToken: cancellationToken);
        return new BatchResumeGuard(queue, sent.Value.MessageId, sent.Value.PopReceipt, after);
    }

    /// <summary>A heartbeat, not a retry: a beat that fails is made again at the next, while the copy is still hidden.</summary>
    private async Task BeatAsync(TimeSpan after, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(after / 3, cancellationToken);
                popReceipt = (await queue.UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: after, cancellationToken: cancellationToken)).Value.PopReceipt;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException or OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await beating;
        stop.Dispose();
        try
        {
            await queue.DeleteMessageAsync(messageId, popReceipt, CancellationToken.None);
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
        {
            // Storage is down: the copy shows up later and finds the batch completed, or resumes it.
        }
    }
}
