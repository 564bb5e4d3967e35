using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Validation;
using Polly.Registry;

namespace Pipeline.Reporting.Batches;

/// <summary>
/// Processes one <c>report-submissions</c> message: every row of the batch checked by
/// <see cref="SubmissionService"/> exactly as a single report, the valid ones stored per county in entity-group
/// transactions, then the row results. Safe to run again for the same message: rows with a result are skipped,
/// a row saved just before a crash is recognised as this batch's own revision, and a completed batch is left
/// alone. Rows of one unit are processed in row order, so a later row (a correction) ends up current.
/// </summary>
public sealed partial class BatchProcessor(
    BatchStore store,
    BatchPayloadReader reader,
    SubmissionService submissions,
    Authenticator authenticator,
    ReportingClock clock,
    ResiliencePipelineProvider<string> pipelines,
    IOptions<BatchResumeOptions> resumeOptions,
    ILogger<BatchProcessor> logger)
{
    /// <summary>The Functions host's maxDequeueCount (host.json <c>extensions.queues</c>): the last attempt records what is left undone.</summary>
    public const int MaxDequeueCount = 5;

    private const int ChunkRows = 1_000;

    /// <summary>
    /// Runs the batch; when storage fails, runs it again after a pause (<see cref="StoragePolicies.BatchOutage"/>: up
    /// to 175 s in all), which is safe because a run skips what an earlier one recorded. A run that fails while storage
    /// is down cannot hand its message back either, so the host would see it again only after the 10-minute receive
    /// invisibility: waiting here lets the batch finish as soon as storage answers. Only a fault that is not an
    /// outage, or an outage longer than that, goes back to the host (retry, then poison); the last dequeue records
    /// what is left.
    /// </summary>
    public async Task ProcessAsync(string messageText, long dequeueCount, CancellationToken cancellationToken)
    {
        var run = 0;
        var lastDequeue = dequeueCount + (TryParse(messageText)?.Resumes ?? 0) >= MaxDequeueCount;
        await pipelines.GetPipeline(StoragePolicies.BatchOutage).ExecuteAsync(async ct =>
        {
            var mayWait = ++run <= StoragePolicies.BatchOutageRetries;
            if (run > 1)
            {
                LogRunningAgain(TryParse(messageText)?.BatchId ?? "(unreadable)", run);
            }

            await RunAsync(messageText, dequeueCount, e => lastDequeue && !(mayWait && StoragePolicies.IsBatchOutage(e)), ct);
        }, cancellationToken);
    }

    /// <summary>One run over the message. <paramref name="giveUp"/> says whether a failure is final: the rows left undone are then recorded.</summary>
    private async Task RunAsync(string messageText, long dequeueCount, Func<Exception, bool> giveUp, CancellationToken cancellationToken)
    {
        var message = TryParse(messageText);
        if (message is null)
        {
            await PoisonAsync(messageText, null, "not a batch message", cancellationToken);
            return;
        }

        // This message reached the queue, so the submitter's hidden copy of it is not needed: the queue redelivers this one.
        await WithdrawFallbackAsync(message, cancellationToken);
        var batch = await store.GetAsync(message.BatchId, cancellationToken);
        if (batch is null)
        {
            await PoisonAsync(messageText, message.BatchId, "unknown batch", cancellationToken);
            return;
        }

        var done = (await store.GetResultsAsync(batch.BatchId, cancellationToken))
            .Where(r => r.Outcome != BatchRowOutcome.NotProcessed)
            .ToDictionary(r => r.Row);
        if (batch.Status == BatchStatus.Completed && done.Count >= batch.Total)
        {
            LogAlreadyCompleted(batch.BatchId);
            await DeletePayloadAsync(batch, cancellationToken);
            return;
        }

        // Should this worker die, a hidden copy of the message resumes the batch within resume.After.
        await using var resume = dequeueCount + message.Resumes >= MaxDequeueCount
            ? null
            : await BatchResumeGuard.StartAsync(store.Queue, message, resumeOptions.Value.After, cancellationToken);

        await store.SetStatusAsync(batch.BatchId, BatchStatus.Processing, null, cancellationToken);
        List<BatchRow> pending;
        try
        {
            pending = done.Count >= batch.Total
                ? []
                : reader.ReadRows(batch.Format, await LoadPayloadAsync(message, cancellationToken)).Where(r => !done.ContainsKey(r.Row)).ToList();
        }
        catch (Exception e) when (giveUp(e) && !cancellationToken.IsCancellationRequested)
        {
            var missing = Enumerable.Range(1, batch.Total).Where(row => !done.ContainsKey(row));
            await GiveUpAsync(batch, missing.Select(row => (row, (string?)null, (string?)null)), e, cancellationToken);
            throw;
        }

        var failed = await ProcessRowsAsync(batch, pending, cancellationToken);
        if (failed.Count > 0)
        {
            // An outage only when every row failed for one: one bug among them is not worth waiting for.
            var errors = new AggregateException(failed.Select(f => f.Error));
            if (giveUp(errors))
            {
                await GiveUpAsync(batch, failed.Select(f => (f.Row.Row, f.Row.Parsed.Input.UnitCode, f.Row.Parsed.Input.ReportDate)), failed[0].Error, cancellationToken);
            }

            throw new BatchIncompleteException(batch.BatchId, failed.Count, errors);
        }

        await store.SetStatusAsync(batch.BatchId, BatchStatus.Completed, clock.UtcNow, cancellationToken);
        await DeletePayloadAsync(batch, cancellationToken);
        LogCompleted(batch.BatchId, batch.Total, dequeueCount);
    }

    /// <summary>
    /// Processes the rows chunk by chunk and returns those that failed (and the later rows of their units, held back).
    /// A chunk that shares no unit with the one being stored starts at once (its token check, rules and reads overlap
    /// the other's transactions: a county upload's chunks are other townships); one that does waits for it, so a unit's
    /// rows stay in row order. At most two chunks are in flight.
    /// </summary>
    private async Task<List<(BatchRow Row, Exception Error)>> ProcessRowsAsync(BatchInfo batch, List<BatchRow> pending, CancellationToken cancellationToken)
    {
        var failed = new List<(BatchRow Row, Exception Error)>();
        var blockedUnits = new Dictionary<string, Exception>(StringComparer.Ordinal);
        var standing = TokenStanding.Active;
        (Task<List<(BatchRow Row, Exception Error)>> Stored, HashSet<string> Units)? inFlight = null;

        async Task CollectAsync((Task<List<(BatchRow Row, Exception Error)>> Stored, HashSet<string> Units)? chunk)
        {
            foreach (var (row, error) in chunk is { } done ? await done.Stored : [])
            {
                // Later rows of this unit wait for this one, or a correction could be overtaken by the row it corrects.
                blockedUnits.TryAdd(UnitOf(row), error);
                failed.Add((row, error));
            }
        }

        try
        {
            foreach (var chunk in pending.Chunk(ChunkRows))
            {
                var units = chunk.Select(UnitOf).ToHashSet(StringComparer.Ordinal);
                if (inFlight is { } earlierChunk && earlierChunk.Units.Overlaps(units))
                {
                    inFlight = null;
                    await CollectAsync(earlierChunk);
                }

                // Revoked means stopped: the submitter's token is checked (in storage, not a cache) before each chunk is stored.
                if (standing == TokenStanding.Active
                    && (standing = await authenticator.GetStandingAsync(batch.Submitter.TokenId, cancellationToken)) != TokenStanding.Active)
                {
                    LogSubmitterNotInForce(batch.BatchId, batch.Submitter.TokenId, standing);
                }

                if (standing != TokenStanding.Active)
                {
                    await store.SaveResultsAsync(batch.BatchId, chunk.Select(row => Refused(row, standing)).ToList(), cancellationToken);
                    continue;
                }

                var rows = new List<BatchRow>();
                foreach (var row in chunk)
                {
                    if (blockedUnits.TryGetValue(UnitOf(row), out var earlier))
                    {
                        failed.Add((row, earlier));
                    }
                    else
                    {
                        rows.Add(row);
                    }
                }

                var previous = inFlight;
                inFlight = (StoreChunkAsync(batch, rows, cancellationToken), units);
                await CollectAsync(previous);
            }

            var last = inFlight;
            inFlight = null;
            await CollectAsync(last);
        }
        finally
        {
            // A run that stops on a fault lets the chunk still in flight end first: no write of this run outlives it.
            if (inFlight is { } unfinished)
            {
                await Task.WhenAny(unfinished.Stored);
                _ = unfinished.Stored.Exception;
            }
        }

        return failed.OrderBy(f => f.Row.Row).ToList();
    }

    /// <summary>One chunk's rows stored and their results recorded (a page); returns the rows that failed.</summary>
    private async Task<List<(BatchRow Row, Exception Error)>> StoreChunkAsync(BatchInfo batch, List<BatchRow> rows, CancellationToken cancellationToken)
    {
        var failed = new List<(BatchRow Row, Exception Error)>();
        var results = new List<BatchRowResult>();
        foreach (var (row, attempt) in rows.Zip(await SubmitRowsAsync(batch, rows, cancellationToken)))
        {
            if (attempt.Result is not null)
            {
                results.Add(ToResult(batch, row, SubmissionIdOf(batch, row), attempt.Result));
                continue;
            }

            LogRowFailed(batch.BatchId, row.Row, attempt.Error!.GetType().Name, attempt.Error.Message);
            failed.Add((row, attempt.Error));
        }

        await store.SaveResultsAsync(batch.BatchId, results, cancellationToken);
        return failed;
    }

    private static string UnitOf(BatchRow row) => row.Parsed.Input.UnitCode ?? "";

    /// <summary>The rows through <see cref="SubmissionService.SubmitManyAsync"/>; those a storage fault stopped wait for the next run.</summary>
    private async Task<IReadOnlyList<SubmissionAttempt>> SubmitRowsAsync(BatchInfo batch, List<BatchRow> rows, CancellationToken cancellationToken) =>
        await submissions.SubmitManyAsync(rows.Select(r => WithSubmissionId(batch, r)).ToList(), batch.Submitter, cancellationToken);

    /// <summary>A row without its own submissionId gets one from the batch, so a second run recognises what the first stored.</summary>
    private static string SubmissionIdOf(BatchInfo batch, BatchRow row) => row.Parsed.Input.SubmissionId ?? $"b{batch.BatchId}-{row.Row}";

    private static ParsedReport WithSubmissionId(BatchInfo batch, BatchRow row) =>
        row.Parsed with { Input = row.Parsed.Input with { SubmissionId = SubmissionIdOf(batch, row) } };

    private static BatchRowResult ToResult(BatchInfo batch, BatchRow row, string submissionId, SubmissionResult result)
    {
        var unit = Echo(row.Parsed.Input.UnitCode);
        var date = Echo(row.Parsed.Input.ReportDate);
        return result switch
        {
            SubmissionResult.Rejected rejected => new(row.Row, unit, date, BatchRowOutcome.Rejected, null, null, [], rejected.Errors),
            SubmissionResult.Forbidden forbidden =>
                new(row.Row, unit, date, BatchRowOutcome.Rejected, null, null, [], [new FieldError("unitCode", "batchForbiddenUnit", [forbidden.UnitCode])]),
            SubmissionResult.Saved saved => new(
                row.Row, saved.Report.UnitCode, ReportDate.Iso(saved.Report.ReportDate),
                Outcome(batch, submissionId, saved), saved.Report.Revision, saved.Report.Receipt, saved.Report.Warnings, []),
            _ => throw new InvalidOperationException("Unknown submission result."),
        };
    }

    private static BatchRowResult Refused(BatchRow row, TokenStanding standing) => new(
        row.Row, Echo(row.Parsed.Input.UnitCode), Echo(row.Parsed.Input.ReportDate), BatchRowOutcome.Rejected, null, null, [],
        [new FieldError("token", standing == TokenStanding.Expired ? "batchTokenExpired" : "batchTokenRevoked", [])]);

    /// <summary>
    /// A replay of a revision this very batch wrote (a run that crashed after saving the row, before recording
    /// it) keeps the outcome it had: created or updated, not unchanged.
    /// </summary>
    private static BatchRowOutcome Outcome(BatchInfo batch, string submissionId, SubmissionResult.Saved saved) => saved.Outcome switch
    {
        SaveOutcome.Created => BatchRowOutcome.Created,
        SaveOutcome.Updated => BatchRowOutcome.Updated,
        _ when saved.Report.SubmissionId == submissionId
            && saved.Report.SubmittedBy == batch.Submitter.TokenId
            && saved.Report.ReceivedAt >= batch.CreatedAt => saved.Report.Revision == 1 ? BatchRowOutcome.Created : BatchRowOutcome.Updated,
        _ => BatchRowOutcome.Unchanged,
    };

    /// <summary>The last attempt failed: the rows left undone are recorded as not processed, with the reason, and the batch completes.</summary>
    /// <remarks>The row's reason is a code (rendered per reader); the exception's text, which may carry storage request ids, goes to the log only.</remarks>
    private async Task GiveUpAsync(BatchInfo batch, IEnumerable<(int Row, string? UnitCode, string? ReportDate)> rows, Exception error, CancellationToken cancellationToken)
    {
        var reason = ReasonCode(error);
        var results = rows.Select(r => new BatchRowResult(
            r.Row, Echo(r.UnitCode), Echo(r.ReportDate), BatchRowOutcome.NotProcessed, null, null, [],
            [new FieldError("row", reason, [])])).ToList();
        await store.SaveResultsAsync(batch.BatchId, results, cancellationToken);
        await store.SetStatusAsync(batch.BatchId, BatchStatus.Completed, clock.UtcNow, cancellationToken);
        LogGaveUp(batch.BatchId, results.Count, reason, error.GetType().Name, error.Message);
    }

    /// <summary>
    /// Deletes the submitter's hidden copy of the message, if it is still there (a later delivery finds it gone). A copy
    /// that cannot be deleted now shows later and finds the batch completed, or resumes it.
    /// </summary>
    private async Task WithdrawFallbackAsync(BatchMessage message, CancellationToken cancellationToken)
    {
        if (message.Fallback is not { } copy)
        {
            return;
        }

        try
        {
            await store.Queue.DeleteMessageAsync(copy.MessageId, copy.PopReceipt, cancellationToken);
        }
        catch (Azure.RequestFailedException e) when (e.Status is 404 or 400)
        {
            // Gone already: withdrawn by an earlier delivery of this message, or shown and taken by a run of its own.
        }
        catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
        {
            LogFallbackKept(message.BatchId, e.GetType().Name);
        }
    }

    private async Task<ReadOnlyMemory<byte>> LoadPayloadAsync(BatchMessage message, CancellationToken cancellationToken)
    {
        if (message.Payload is not null)
        {
            return System.Text.Encoding.UTF8.GetBytes(message.Payload);
        }

        var content = await store.Payloads.GetBlobClient(message.Blob).DownloadContentAsync(cancellationToken);
        return content.Value.Content.ToMemory();
    }

    private async Task DeletePayloadAsync(BatchInfo batch, CancellationToken cancellationToken)
    {
        if (batch.PayloadBlob is not null)
        {
            await store.Payloads.DeleteBlobIfExistsAsync(batch.PayloadBlob, cancellationToken: cancellationToken);
        }
    }

    /// <summary>A message that can never succeed goes straight to the poison queue, where operators look, instead of five useless attempts.</summary>
    /// <remarks>The log names the poison message and the batch by id, never the message's text (it may hold reports).</remarks>
    private async Task PoisonAsync(string messageText, string? batchId, string reason, CancellationToken cancellationToken)
    {
        await store.PoisonQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var sent = await store.PoisonQueue.SendMessageAsync(messageText, cancellationToken);
        LogPoisoned(sent.Value.MessageId, reason, batchId is not null && BatchStore.IsBatchId(batchId) ? batchId : "(none)", messageText.Length);
    }

    /// <summary>The batch message in a queue message's text, or null when it is not one.</summary>
    internal static BatchMessage? TryParse(string text)
    {
        try
        {
            var message = JsonSerializer.Deserialize<BatchMessage>(text, JsonDefaults.Web);
            return message is not null && BatchStore.IsBatchId(message.BatchId) && (message.Payload is null) != (message.Blob is null)
                ? message
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Echo(string? text) => text is null ? null : ReportValidator.Printable(text);

    private static string ReasonCode(Exception e) =>
        e is Azure.RequestFailedException { Status: 404 } ? "batchRowPayloadMissing"
        : e is WriteContentionException ? "batchRowContended"
        : StorageFaults.IsOutage(e) ? "batchRowStorageUnavailable"
        : "batchRowFailed";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {BatchId}: the previous run stopped on a storage fault; run {Run}")]
    private partial void LogRunningAgain(string batchId, int run);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch message moved to the poison queue as {PoisonMessageId}: {Reason} (batch {BatchId}, {Length} characters)")]
    private partial void LogPoisoned(string poisonMessageId, string reason, string batchId, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {BatchId}: its token {TokenId} is {Standing}; the rows not yet stored are refused")]
    private partial void LogSubmitterNotInForce(string batchId, string tokenId, TokenStanding standing);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {BatchId}: its fallback message could not be withdrawn ({ExceptionType}); it will show later and find the batch done")]
    private partial void LogFallbackKept(string batchId, string exceptionType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId} was already completed; nothing to do")]
    private partial void LogAlreadyCompleted(string batchId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {BatchId} completed: {Total} rows (attempt {DequeueCount})")]
    private partial void LogCompleted(string batchId, int total, long dequeueCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Batch {BatchId} row {Row} failed: {ExceptionType}: {Reason}")]
    private partial void LogRowFailed(string batchId, int row, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch {BatchId}: {Rows} rows not processed after the last attempt ({Reason}): {ExceptionType}: {ExceptionMessage}")]
    private partial void LogGaveUp(string batchId, int rows, string reason, string exceptionType, string exceptionMessage);
}
