namespace Pipeline.Reporting.Batches;

/// <summary>How soon a batch whose worker died (<see cref="BatchResumeGuard"/>), or whose message never reached the queue (<see cref="BatchSubmitter"/>), is taken up again.</summary>
public sealed class BatchResumeOptions
{
    public TimeSpan After { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// When the submitter's hidden copy of a batch's message shows, should no run have withdrawn it: as long as the host
    /// holds a received message (10 minutes), so that a message waiting behind others on a busy queue is never run twice.
    /// </summary>
    public TimeSpan UnsentAfter { get; set; } = TimeSpan.FromMinutes(10);
}
