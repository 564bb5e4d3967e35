using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Rollups;

/// <summary>
/// A storage hook that holds a build's read of one county (its range read of <paramref name="day"/> and the day before),
/// or whatever other request <see cref="Holds"/> picks out, until a request <paramref name="written"/> picks out has been
/// answered, or 30 s pass: whether the build wrote that before it went on.
/// </summary>
public sealed class ReadHeldUntil
{
    private readonly TaskCompletionSource written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ReadHeldUntil(string county, string day, Func<StorageRequest, bool> written)
    {
        var dayBefore = $"r_{DateOnly.Parse(day).AddDays(-1):yyyyMMdd}_";
        Holds = request => request.Query.Contains($"PartitionKey eq '{county}'", StringComparison.Ordinal) && request.Query.Contains(dayBefore, StringComparison.Ordinal);
        Hook = new StorageFaultPolicy
        {
            BeforeSend = async request =>
            {
                if (Holds(request))
                {
                    WaitedFor = await Task.WhenAny(this.written.Task, Task.Delay(TimeSpan.FromSeconds(30))) == this.written.Task;
                }
            },
            AfterAnswer = request =>
            {
                if (written(request))
                {
                    this.written.TrySetResult();
                }

                return Task.CompletedTask;
            },
        };
    }

    public StorageFaultPolicy Hook { get; }

    /// <summary>The request held: by default the county's read.</summary>
    public Func<StorageRequest, bool> Holds { get; init; }

    /// <summary>Whether the request held, when it came, waited for the one written and not for the 30 s.</summary>
    public bool WaitedFor { get; private set; }
}
