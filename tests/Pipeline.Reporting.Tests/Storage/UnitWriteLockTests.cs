using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Reporting.Storage;

namespace Pipeline.Reporting.Tests.Storage;

/// <summary>One write of a unit at a time on an instance: the next waits its turn, other units do not wait, and nothing stays behind.</summary>
public sealed class UnitWriteLockTests
{
    private const string Unit = "623024100";

    private static UnitWriteLock Lock() => new(NullLogger<UnitWriteLock>.Instance);

    private static UnitWriteLock Lock(TimeSpan maxWait) => new(NullLogger<UnitWriteLock>.Instance, maxWait);

    [Fact]
    public async Task A_second_writer_of_a_unit_waits_until_the_first_is_done_and_one_of_another_unit_does_not()
    {
        var locks = Lock();
        var first = await locks.AcquireAsync(Unit, CancellationToken.None);
        var second = locks.AcquireAsync(Unit, CancellationToken.None).AsTask();
        using (await locks.AcquireAsync("623024101", CancellationToken.None))
        {
            Assert.False(second.IsCompleted);
        }

        Assert.False(second.IsCompleted);
        first.Dispose();
        first.Dispose(); // a second dispose must not let a third writer in beside the second
        var held = await second;
        var third = locks.AcquireAsync(Unit, CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);
        held.Dispose();
        (await third).Dispose();
    }

    [Fact]
    public async Task A_writer_whose_turn_does_not_come_goes_ahead_without_it_and_gives_back_no_turn()
    {
        // A holder stuck on storage, or in a run whose worker stopped: the writers after it are not held as long.
        var locks = Lock(TimeSpan.FromMilliseconds(50));
        var stuck = await locks.AcquireAsync(Unit, CancellationToken.None);
        var ahead = await locks.AcquireAsync(Unit, CancellationToken.None);
        ahead.Dispose();
        Assert.Equal(1, locks.Count);

        // Had the one that went ahead given a turn back, this one would be a turn too many (SemaphoreFullException).
        stuck.Dispose();
        Assert.Equal(0, locks.Count);
        var next = locks.AcquireAsync(Unit, CancellationToken.None);
        Assert.True(next.IsCompletedSuccessfully);
        (await next).Dispose();
    }

    [Fact]
    public async Task No_entry_stays_for_a_unit_once_its_writers_are_done_or_gave_up_waiting()
    {
        var locks = Lock();
        var first = await locks.AcquireAsync(Unit, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = locks.AcquireAsync(Unit, cancel.Token).AsTask();
        var queued = locks.AcquireAsync(Unit, CancellationToken.None).AsTask();
        Assert.Equal(1, locks.Count);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        first.Dispose();
        (await queued).Dispose();
        Assert.Equal(0, locks.Count);

        for (var i = 0; i < 100; i++)
        {
            (await locks.AcquireAsync($"6230241{i:00}", CancellationToken.None)).Dispose();
        }

        Assert.Equal(0, locks.Count);
    }
}
