using System.Collections.Concurrent;
using System.Threading.Channels;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Storage;

namespace Pipeline.Reporting.Access;

/// <summary>
/// Records when a token was last used, coarsely: at most once per <see cref="Resolution"/> per token and instance,
/// written in the background so that no request waits for it or fails with it.
/// </summary>
public sealed partial class TokenUsage(StorageTables tables, TimeProvider time, ILogger<TokenUsage> logger) : BackgroundService
{
    public static readonly TimeSpan Resolution = TimeSpan.FromHours(1);
    private readonly ConcurrentDictionary<string, DateTimeOffset> recorded = new(StringComparer.Ordinal);
    private readonly Channel<(string Id, DateTimeOffset At)> pending = Channel.CreateBounded<(string, DateTimeOffset)>(
        new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Notes a use of <paramref name="tokenId"/>; cheap, never throws, never waits.</summary>
    public void Touch(string tokenId)
    {
        if (tokenId == Authenticator.BootstrapTokenId)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (recorded.TryGetValue(tokenId, out var last) && now - last < Resolution)
        {
            return;
        }

        recorded[tokenId] = now;
        pending.Writer.TryWrite((tokenId, now));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (id, at) in pending.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await tables.Tokens.UpdateEntityAsync(
                    new TableEntity(TokenDirectory.Partition, id) { [TokenDirectory.LastUsedAt] = at }, ETag.All, TableUpdateMode.Merge, stoppingToken);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                // Revoked (deleted) since it was used: nothing to record.
            }
            catch (Exception e) when (StorageFaults.IsOutage(e) && !stoppingToken.IsCancellationRequested)
            {
                recorded.TryRemove(id, out _);
                LogNotRecorded(id, e.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Last use of token {TokenId} not recorded: {Reason}")]
    private partial void LogNotRecorded(string tokenId, string reason);
}
