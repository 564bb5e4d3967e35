namespace Pipeline.Reporting.Batches;

public enum PoisonAction
{
    Replayed,
    Dropped,
    NotFound,

    /// <summary>The message is not a batch message: replaying it would only poison it again.</summary>
    NotReplayable,
}
