using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Pipeline.LocalHost;

/// <summary>
/// Runs one queue-triggered function the way the Functions host's queue listener does
/// (../shared/spec/functions-host-semantics.md): up to batchSize messages per poll, fetched again once no more
/// than newBatchThreshold are running; received invisible for 10 minutes and renewed at half that while the
/// function runs; deleted on success; on failure made visible again after visibilityTimeout, or copied to
/// <c>&lt;queue&gt;-poison</c> once the dequeue count reaches maxDequeueCount. Polling backs off after empty
/// polls up to maxPollingInterval; a message this host's own output binding added to the queue ends the wait at once
/// (<see cref="SharedQueueWatcher"/>). Delays use real time (<paramref name="delays"/> in tests), never the app's
/// (possibly fake) TimeProvider.
/// </summary>
public sealed partial class QueueTriggerListener(
    QueueFunction function,
    QueueClient queue,
    QueueClient poisonQueue,
    QueueHostOptions options,
    IServiceProvider services,
    ILogger logger,
    SharedQueueWatcher? watcher = null,
    TimeProvider? delays = null)
{
    private static readonly TimeSpan MinimumPollingInterval = TimeSpan.FromMilliseconds(100);
    private readonly ConcurrentDictionary<Task, byte> running = new();
    private readonly SemaphoreSlim finished = new(0);
    private int inFlight;
    private TaskCompletionSource stopWaiting = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A message was added to this queue by this host: the wait after the current (or next) poll ends at once.</summary>
    public void Notify() => Volatile.Read(ref stopWaiting).TrySetResult();

    public async Task RunAsync(CancellationToken stoppingToken)
    {
        watcher?.Register(function.QueueName, Notify);
        var emptyPolls = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            // As the host's listener does at the start of each poll: a notification from now on ends the wait that follows it.
            Volatile.Write(ref stopWaiting, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            if (Volatile.Read(ref inFlight) > options.NewBatchThreshold)
            {
                // Fetch again only once no more than newBatchThreshold messages are running.
                try
                {
                    await finished.WaitAsync(stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            var messages = await ReceiveAsync(stoppingToken);
            foreach (var message in messages)
            {
                Interlocked.Increment(ref inFlight);
                var task = Task.Run(
                    async () =>
                    {
                        try
                        {
                            await ProcessAsync(message, stoppingToken);
                        }
                        finally
                        {
                            Interlocked.Decrement(ref inFlight);
                            finished.Release();
                        }
                    },
                    CancellationToken.None);
                running.TryAdd(task, 0);
                _ = task.ContinueWith(t => running.TryRemove(t, out _), TaskScheduler.Default);
            }

            emptyPolls = messages.Length > 0 ? 0 : emptyPolls + 1;
            await DelayAsync(NextPollDelay(emptyPolls, options.MaxPollingInterval), stoppingToken);
        }

        await Task.WhenAll(running.Keys);
    }

    /// <summary>100 ms after a poll that found messages; after n empty polls 100 ms + rand(0.8..1.2) x 2^(n-1) x 100 ms, capped.</summary>
    public static TimeSpan NextPollDelay(int emptyPolls, TimeSpan maxPollingInterval)
    {
        if (emptyPolls == 0)
        {
            return MinimumPollingInterval;
        }

        var backoff = (0.8 + Random.Shared.NextDouble() * 0.4) * Math.Pow(2, Math.Min(emptyPolls - 1, 20)) * MinimumPollingInterval.TotalMilliseconds;
        var delay = MinimumPollingInterval + TimeSpan.FromMilliseconds(backoff);
        return delay < maxPollingInterval ? delay : maxPollingInterval;
    }

    private async Task<QueueMessage[]> ReceiveAsync(CancellationToken stoppingToken)
    {
        try
        {
            return (await queue.ReceiveMessagesAsync(options.BatchSize, options.ReceiveVisibility, stoppingToken)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The listener does not create the queue; it keeps polling until someone does.
            return [];
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return [];
        }
        catch (Exception e)
        {
            // Storage not up yet, or a blip: an empty poll, so the listener backs off and keeps going.
            LogPollFailed(function.QueueName, e.GetType().Name);
            return [];
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        try
        {
            if (message.DequeueCount > options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message, message.PopReceipt);
                return;
            }

            var popReceipt = message.PopReceipt;
            using var renewal = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var renewing = KeepInvisibleAsync(message, () => popReceipt, receipt => popReceipt = receipt, renewal.Token);
            Exception? failure = null;
            try
            {
                await InvokeAsync(message, stoppingToken);
            }
            catch (Exception e)
            {
                failure = e;
            }
            finally
            {
                await renewal.CancelAsync();
                await renewing;
            }

            if (failure is null)
            {
                await queue.DeleteMessageAsync(message.MessageId, popReceipt, CancellationToken.None);
                return;
            }

            LogFunctionFailed(function.Name, message.MessageId, message.DequeueCount, failure);
            if (message.DequeueCount >= options.MaxDequeueCount)
            {
                await MoveToPoisonAsync(message, popReceipt);
            }
            else
            {
                await queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: options.VisibilityTimeout, cancellationToken: CancellationToken.None);
            }
        }
        catch (Exception e)
        {
            // A storage fault while settling a message must not stop the listener: the message reappears after its visibility timeout.
            LogSettleFailed(function.Name, message.MessageId, e.Message);
        }
    }

    private async Task InvokeAsync(QueueMessage message, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Method.DeclaringType!);
        var returned = function.Method.Invoke(instance, function.Arguments(message, cancellationToken));
        switch (returned)
        {
            case Task task: await task; break;
            case ValueTask task: await task; break;
        }
    }

    private async Task KeepInvisibleAsync(QueueMessage message, Func<string> popReceipt, Action<string> renewed, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(options.ReceiveVisibility / 2, cancellationToken);
                var receipt = await queue.UpdateMessageAsync(message.MessageId, popReceipt(), visibilityTimeout: options.ReceiveVisibility, cancellationToken: cancellationToken);
                renewed(receipt.Value.PopReceipt);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (RequestFailedException e)
        {
            LogRenewFailed(function.Name, message.MessageId, e.Message);
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message, string popReceipt)
    {
        await poisonQueue.CreateIfNotExistsAsync();
        await poisonQueue.SendMessageAsync(message.Body);
        await queue.DeleteMessageAsync(message.MessageId, popReceipt);
        LogPoisoned(message.MessageId, function.QueueName, message.DequeueCount, poisonQueue.Name);
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            using var waking = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var notified = Volatile.Read(ref stopWaiting).Task;
            if (await Task.WhenAny(Task.Delay(delay, delays ?? TimeProvider.System, waking.Token), notified) == notified)
            {
                await waking.CancelAsync();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} from {Queue} has reached MaxDequeueCount (dequeue count {DequeueCount}): moved to {PoisonQueue}")]
    private partial void LogPoisoned(string messageId, string queue, long dequeueCount, string poisonQueue);

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {Function} failed on message {MessageId} (dequeue count {DequeueCount})")]
    private partial void LogFunctionFailed(string function, string messageId, long dequeueCount, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Polling queue {Queue} failed: {Reason}")]
    private partial void LogPollFailed(string queue, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {Function}: could not settle message {MessageId}: {Reason}")]
    private partial void LogSettleFailed(string function, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Function {Function}: could not renew the invisibility of message {MessageId}: {Reason}")]
    private partial void LogRenewFailed(string function, string messageId, string reason);
}
