using Azure;

namespace Pipeline.Reporting.Storage;

/// <summary>Tells a storage outage (retry later: 503) from a bug (500).</summary>
public static class StorageFaults
{
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
