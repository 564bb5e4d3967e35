using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Revisions whose current-report projection could not be written because storage failed between the two
/// writes. The revision is stored (the record is right); the projection the rollup reads is moved forward
/// here once storage answers again, so a day's rollup converges without waiting for the client's retry.
/// </summary>
public sealed class ProjectionRepairQueue
{
    private readonly Channel<StoredReport> pending = Channel.CreateUnbounded<StoredReport>();
    private int count;

    public int Pending => Volatile.Read(ref count);

    public void Enqueue(StoredReport revision)
    {
        Interlocked.Increment(ref count);
        pending.Writer.TryWrite(revision);
    }

    internal ChannelReader<StoredReport> Reader => pending.Reader;

    internal void Done() => Interlocked.Decrement(ref count);
}

/// <summary>Works the <see cref="ProjectionRepairQueue"/>: retries each projection until storage takes it.</summary>
public sealed partial class ProjectionRepairService(
    ProjectionRepairQueue queue,
    ReportStore store,
    IEnumerable<IReportSavedListener> savedListeners,
    ILogger<ProjectionRepairService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var revision in queue.Reader.ReadAllAsync(stoppingToken))
        {
            for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
            {
                try
                {
                    await store.ProjectAsync(revision, stoppingToken);
                    foreach (var listener in savedListeners)
                    {
                        // The request that stored this revision failed before telling them (a built rollup goes stale).
                        await listener.ReportSavedAsync(new SaveResult(SaveOutcome.Updated, revision), stoppingToken);
                    }

                    LogRepaired(revision.UnitCode, revision.ReportDate.ToString("yyyy-MM-dd"), revision.Revision, attempt);
                    break;
                }
                catch (Exception e) when (StorageFaults.IsOutage(e) && !stoppingToken.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), stoppingToken);
                }
            }

            queue.Done();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Current report of {UnitCode} on {ReportDate} moved to revision {Revision} after a storage fault (attempt {Attempt})")]
    private partial void LogRepaired(string unitCode, string reportDate, int revision, int attempt);
}
