using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Reminders;
using Pipeline.Reporting.Storage;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Reminders;

/// <summary>
/// The outbox messages a send holds: claimed by an attempt (<see cref="ReminderOutbox.BeginAttemptAsync"/>) and not yet
/// marked sent or failed, the claim not run out on the host's clock. A test that moves a host's clock waits until there
/// is none before each step: an attempt's time limit and its claim run on that clock while its request and its mark
/// take real time, many steps of a test's clock; moved meanwhile, the attempt times out although the robot took the
/// message (which is then sent again), or its claim runs out and the next run takes the message as well.
/// </summary>
internal static class OutboxClaims
{
    /// <summary>The first message of the host's open days that a send holds now, or null.</summary>
    public static async Task<(string Day, string Message, DateTimeOffset Until)?> HeldAsync(PipelineHost host)
    {
        var days = host.Services.GetRequiredService<ReminderDispatcher>().OpenDays();
        var now = host.Time.GetUtcNow();
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey ge {ReminderOutbox.Partition(days.Min())} and PartitionKey le {ReminderOutbox.Partition(days.Max())} and Status eq {OutboxStatus.Pending} and ClaimedUntil gt {now}");
        await foreach (var row in host.Services.GetRequiredService<StorageTables>().Reminders.QueryAsync<TableEntity>(filter, select: ["ClaimedUntil"]))
        {
            return (row.PartitionKey, row.RowKey, row.GetDateTimeOffset("ClaimedUntil")!.Value);
        }

        return null;
    }

    /// <summary>Waits until no send holds a message of the host's open days (a send that never lets go fails the test).</summary>
    public static async Task UntilNoneHeldAsync(PipelineHost host)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await HeldAsync(host) is { } held)
        {
            // Not a time limit on the code under test: a hang detector, far beyond any request on a loaded machine.
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), $"a send has held {held.Day} {held.Message} for 2 minutes of real time");
            await Task.Delay(10);
        }
    }
}
