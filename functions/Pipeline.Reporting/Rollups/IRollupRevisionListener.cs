namespace Pipeline.Reporting.Rollups;

/// <summary>Told by <see cref="RollupService"/> after a published day's new revision is written (the reminders' notice).</summary>
public interface IRollupRevisionListener
{
    /// <summary>Must not throw: the revision is built whatever a listener does.</summary>
    Task RevisionBuiltAsync(RollupRevisionBuilt built, CancellationToken cancellationToken);
}
