using Microsoft.AspNetCore.Http;

namespace Pipeline.Functions.Http;

/// <summary>
/// How long one HTTP request may wait on storage before it is answered 503 + Retry-After. A storage account that
/// freezes (it accepts connections but answers nothing) would otherwise hold every request for the storage
/// clients' whole retry budget (three tries of up to 10 s each) while phones time out and resend. The deadline
/// runs from the start of the request and is suspended while the client's own body is read, so a slow upload from
/// a township phone is not counted against storage. Kept on the request's features so the body reader finds it.
/// </summary>
public sealed class RequestDeadline : IDisposable
{
    /// <summary>A few seconds: a healthy write takes milliseconds; beyond this the caller is better told to retry.</summary>
    public static readonly TimeSpan Storage = TimeSpan.FromSeconds(5);

    /// <summary>
    /// For a batch upload, whose storage work grows with its payload (a claim-checked blob of up to 16 MiB, the batch
    /// row, the queue message): still bounded, so a frozen account answers 503, but not cut off while a large
    /// payload is being written.
    /// </summary>
    public static readonly TimeSpan Upload = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource source;
    private readonly TimeSpan length;

    private RequestDeadline(CancellationToken requestAborted, TimeSpan length)
    {
        source = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        this.length = length;
        Arm();
    }

    /// <summary>Cancelled when the deadline passes or the client goes away.</summary>
    public CancellationToken Token => source.Token;

    public bool HasPassed => source.IsCancellationRequested;

    /// <summary>Starts the deadline for <paramref name="request"/>; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    public static RequestDeadline Start(HttpRequest request, TimeSpan length)
    {
        var deadline = new RequestDeadline(request.HttpContext.RequestAborted, length);
        request.HttpContext.Features.Set(deadline);
        return deadline;
    }

    /// <summary>Stops the clock of <paramref name="request"/>'s deadline, if it has one, until the result is disposed; then it starts again in full.</summary>
    public static IDisposable Suspend(HttpRequest request) =>
        request.HttpContext.Features.Get<RequestDeadline>() is { } deadline ? deadline.Suspend() : NoDeadline.Instance;

    public void Dispose() => source.Dispose();

    private Suspension Suspend()
    {
        source.CancelAfter(Timeout.InfiniteTimeSpan);
        return new Suspension(this);
    }

    private void Arm()
    {
        if (length != Timeout.InfiniteTimeSpan)
        {
            source.CancelAfter(length);
        }
    }

    private sealed class Suspension(RequestDeadline deadline) : IDisposable
    {
        public void Dispose()
        {
            if (!deadline.source.IsCancellationRequested)
            {
                deadline.Arm();
            }
        }
    }

    private sealed class NoDeadline : IDisposable
    {
        public static readonly NoDeadline Instance = new();

        public void Dispose()
        {
        }
    }
}
