using Azure;

namespace Pipeline.Reporting.Storage;

/// <summary>Tells a storage outage (retry later: 503) from a bug (500).</summary>
public static class StorageFaults
{
    /// <summary>Worth trying again shortly: an outage, or a write that lost to other writers of its unit on every attempt.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        WriteContentionException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient),
        _ => IsOutage(e),
    };

    public static bool IsOutage(Exception e) => e switch
    {
        RequestFailedException failed => failed.Status is 0 or >= 500
            || (failed.Status == 404 && failed.ErrorCode is "TableNotFound" or "ContainerNotFound" or "QueueNotFound"),
        HttpRequestException or TimeoutException => true,
        OperationCanceledException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsOutage),
        _ => false,
    };
}
