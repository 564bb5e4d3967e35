using Azure;
using Polly;
using Polly.Registry;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// The one retry for optimistic concurrency: an attempt that read a row, decided, and wrote on the row's ETag (or
/// inserted a key) and met another writer (409 or 412) runs again from its read, as the named policy
/// <see cref="StoragePolicies.Concurrency"/> says (bounded attempts, short jittered pauses).
/// </summary>
public sealed class OptimisticConcurrency(ResiliencePipelineProvider<string> pipelines)
{
    private readonly ResiliencePipeline pipeline = pipelines.GetPipeline(StoragePolicies.Concurrency);

    /// <summary>Another writer got there first: the row changed since it was read, or the key was taken.</summary>
    public static bool IsConflict(Exception e) => e is RequestFailedException { Status: 409 or 412 };

    public ValueTask RunAsync(Func<CancellationToken, ValueTask> attempt, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(attempt, cancellationToken);
}
