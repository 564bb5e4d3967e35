namespace Pipeline.Reporting.Batches;

/// <summary>How soon a batch whose worker died is taken up again (<see cref="BatchResumeGuard"/>).</summary>
public sealed class BatchResumeOptions
{
    public TimeSpan After { get; set; } = TimeSpan.FromSeconds(60);
}
