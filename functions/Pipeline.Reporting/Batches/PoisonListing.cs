namespace Pipeline.Reporting.Batches;

/// <summary>The poison messages listed (the first <see cref="PoisonQueue.MaxListed"/>) and how many the queue holds in all (approximately).</summary>
public sealed record PoisonListing(IReadOnlyList<PoisonMessage> Messages, int Total);
