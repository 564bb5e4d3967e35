using Azure.Storage.Queues.Models;

namespace Pipeline.Reporting.Batches;

/// <summary>
/// Lets an operator recover <c>report-submissions-poison</c>: list, replay onto <c>report-submissions</c> (the batch
/// resumes where it stopped, as <see cref="BatchProcessor"/> skips rows with a result) or drop a message.
/// </summary>
/// <remarks>
/// Peeking gives no pop receipt, so acting on one message means receiving messages (hiding them) until it turns up;
/// the others are made visible again at once, whatever happens.
/// </remarks>
public sealed class PoisonQueue(BatchStore store)
{
    /// <summary>A queue peeks at most 32 messages; a poison queue holding more has bigger problems than its listing.</summary>
    public const int MaxListed = 32;

    /// <summary>How many receives of 32 a replay or drop looks through before it calls the message not found.</summary>
    private const int MaxSearchRounds = 10;

    /// <summary>How long messages received while searching stay hidden should this process die before it makes them visible again.</summary>
    private static readonly TimeSpan SearchVisibility = TimeSpan.FromSeconds(30);

    public async Task<PoisonListing> ListAsync(CancellationToken cancellationToken)
    {
        if (!(await store.PoisonQueue.ExistsAsync(cancellationToken)).Value)
        {
            return new PoisonListing([], 0);
        }

        var peeked = (await store.PoisonQueue.PeekMessagesAsync(MaxListed, cancellationToken)).Value;
        var messages = new List<PoisonMessage>(peeked.Length);
        foreach (var m in peeked)
        {
            messages.Add(await DescribeAsync(m.MessageId, m.Body.ToString(), m.InsertedOn, m.DequeueCount, cancellationToken));
        }

        var total = (await store.PoisonQueue.GetPropertiesAsync(cancellationToken)).Value.ApproximateMessagesCount;
        return new PoisonListing(messages, Math.Max(total, messages.Count));
    }

    /// <summary>Puts the message back on <c>report-submissions</c> with its resume count cleared (a fresh five attempts), and marks its batch queued.</summary>
    public Task<PoisonAction> ReplayAsync(string messageId, CancellationToken cancellationToken) =>
        ActOnAsync(messageId, async (message, ct) =>
        {
            if (BatchProcessor.TryParse(message.Body.ToString()) is not { } batchMessage || await store.GetAsync(batchMessage.BatchId, ct) is null)
            {
                return PoisonAction.NotReplayable;
            }

            await store.SetStatusAsync(batchMessage.BatchId, BatchStatus.Queued, null, ct);
            await store.Queue.SendMessageAsync(BatchSubmitter.Serialize(batchMessage with { Resumes = 0, Fallback = null }), ct);
            await store.PoisonQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
            return PoisonAction.Replayed;
        }, cancellationToken);

    public Task<PoisonAction> DropAsync(string messageId, CancellationToken cancellationToken) =>
        ActOnAsync(messageId, async (message, ct) =>
        {
            await store.PoisonQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
            return PoisonAction.Dropped;
        }, cancellationToken);

    private async Task<PoisonAction> ActOnAsync(string messageId, Func<QueueMessage, CancellationToken, Task<PoisonAction>> act, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(messageId, out _) || !(await store.PoisonQueue.ExistsAsync(cancellationToken)).Value)
        {
            return PoisonAction.NotFound;
        }

        var held = new List<QueueMessage>();
        try
        {
            for (var round = 0; round < MaxSearchRounds; round++)
            {
                var received = (await store.PoisonQueue.ReceiveMessagesAsync(MaxListed, SearchVisibility, cancellationToken)).Value;
                if (received.Length == 0)
                {
                    return PoisonAction.NotFound;
                }

                // Every message received is held until the finally, the one named too unless the action removed it.
                held.AddRange(received.Where(m => m.MessageId != messageId));
                if (received.FirstOrDefault(m => m.MessageId == messageId) is { } named)
                {
                    var action = await act(named, cancellationToken);
                    if (action == PoisonAction.NotReplayable)
                    {
                        held.Add(named);
                    }

                    return action;
                }
            }

            return PoisonAction.NotFound;
        }
        finally
        {
            // Not the caller's token: the others go back even when the request was abandoned.
            foreach (var message in held)
            {
                await store.PoisonQueue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero, cancellationToken: CancellationToken.None);
            }
        }
    }

    private async Task<PoisonMessage> DescribeAsync(string messageId, string text, DateTimeOffset? insertedAt, long dequeueCount, CancellationToken cancellationToken)
    {
        if (BatchProcessor.TryParse(text) is not { } message)
        {
            return new PoisonMessage(messageId, null, "notBatchMessage", insertedAt, dequeueCount);
        }

        if (await store.GetAsync(message.BatchId, cancellationToken) is null)
        {
            return new PoisonMessage(messageId, message.BatchId, "unknownBatch", insertedAt, dequeueCount);
        }

        var reason = (await store.GetResultsAsync(message.BatchId, cancellationToken))
            .Where(r => r.Outcome == BatchRowOutcome.NotProcessed)
            .SelectMany(r => r.Errors)
            .Select(e => e.Code)
            .FirstOrDefault();
        return new PoisonMessage(messageId, message.BatchId, reason, insertedAt, dequeueCount);
    }
}
