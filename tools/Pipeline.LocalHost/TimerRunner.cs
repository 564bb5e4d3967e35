using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Reporting.Storage;

namespace Pipeline.LocalHost;

/// <summary>
/// Runs the app's timer functions as the Functions host does (spec: functions-host-semantics.md): NCRONTAB in
/// UTC from the app's TimeProvider; with UseMonitor a status blob
/// <c>azure-webjobs-hosts/timers/{hostId}/{function}/status</c> holds Last/Next/LastUpdated, and a start after
/// the recorded Next runs the function once at once with IsPastDue; one listener per function across
/// instances, by a lease on <c>azure-webjobs-hosts/locks/{hostId}/{function}.Listener</c>. A failed run is
/// logged, not retried. <see cref="FireAsync"/> runs one now (<c>POST /admin/functions/{name}</c>).
/// </summary>
public sealed partial class TimerRunner(
    IReadOnlyList<TimerFunction> functions,
    IServiceProvider services,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<TimerRunner> logger) : BackgroundService
{
    public const string Container = "azure-webjobs-hosts";
    private static readonly TimeSpan LeasePeriod = TimeSpan.FromSeconds(15);
    private static readonly JsonSerializerOptions StatusJson = new();

    private readonly Lazy<BlobContainerClient> container = new(() =>
        (string.IsNullOrWhiteSpace(configuration["AzureWebJobsStorage"])
            ? services.GetRequiredService<StorageClients>()
            : StorageClientFactory.Create(configuration, "AzureWebJobsStorage")).Blobs.GetBlobContainerClient(Container));

    public string HostId => configuration["LocalHost:HostId"] is { Length: > 0 } id ? id : "pipeline-localhost";

    public IReadOnlyList<TimerFunction> Functions => functions;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        configuration["LocalHost:Timers"] == "off"
            ? Task.CompletedTask
            : Task.WhenAll(functions.Select(f => ListenAsync(f, stoppingToken)));

    /// <summary>Runs a timer function now, as the real host's admin endpoint does; false if no such timer function.</summary>
    public bool Fire(string name, CancellationToken stoppingToken)
    {
        var function = functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
        if (function is null)
        {
            return false;
        }

        _ = Task.Run(() => InvokeAsync(function, new TimerInfo { IsPastDue = false }, stoppingToken), stoppingToken);
        return true;
    }

    private async Task ListenAsync(TimerFunction function, CancellationToken stoppingToken)
    {
        NCrontab.CrontabSchedule schedule;
        try
        {
            schedule = function.ParseSchedule(configuration);
        }
        catch (Exception e) when (e is InvalidOperationException or NCrontab.CrontabException)
        {
            // As in the Functions host, a bad schedule disables that function, not the app.
            LogBadSchedule(function.Name, e.Message);
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await container.Value.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
                var lease = await TryLeaseAsync(function, stoppingToken);
                if (lease is null)
                {
                    await Task.Delay(LeasePeriod / 3, stoppingToken);
                    continue;
                }

                using var listening = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var renewal = RenewAsync(lease, listening);
                try
                {
                    await ScheduleAsync(function, schedule, listening.Token);
                }
                finally
                {
                    await listening.CancelAsync();
                    await renewal;
                    await ReleaseAsync(lease);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Storage not up yet, or gone for a while: the listener waits and tries again; the host keeps serving.
                LogListenerFault(function.Name, e.Message);
                await Task.Delay(LeasePeriod / 3, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task ScheduleAsync(TimerFunction function, NCrontab.CrontabSchedule schedule, CancellationToken token)
    {
        var status = function.UseMonitor ? await ReadStatusAsync(function, token) : null;
        var now = time.GetUtcNow();
        if (status is not null && now > status.Next)
        {
            // Missed while no instance was running: once, at once, not once per missed occurrence.
            await InvokeAsync(function, new TimerInfo { IsPastDue = true, ScheduleStatus = status }, token);
            status = new ScheduleStatus { Last = status.Next, Next = status.Next, LastUpdated = now.UtcDateTime };
        }
        else if (function.RunOnStartup)
        {
            await InvokeAsync(function, new TimerInfo { IsPastDue = false, ScheduleStatus = status }, token);
        }

        while (!token.IsCancellationRequested)
        {
            now = time.GetUtcNow();
            var next = new DateTimeOffset(schedule.GetNextOccurrence(now.UtcDateTime), TimeSpan.Zero);
            status = new ScheduleStatus { Last = status?.Last ?? default, Next = next.UtcDateTime, LastUpdated = now.UtcDateTime };
            if (function.UseMonitor)
            {
                await WriteStatusAsync(function, status, token);
            }

            LogNext(function.Name, next);
            await Task.Delay(next - now, time, token);
            await InvokeAsync(function, new TimerInfo { IsPastDue = false, ScheduleStatus = status }, token);
            status = new ScheduleStatus { Last = next.UtcDateTime, Next = next.UtcDateTime, LastUpdated = time.GetUtcNow().UtcDateTime };
        }
    }

    private async Task InvokeAsync(TimerFunction function, TimerInfo timer, CancellationToken token)
    {
        LogInvoking(function.Name, timer.IsPastDue);
        try
        {
            await using var scope = services.CreateAsyncScope();
            var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(scope.ServiceProvider, function.Method.DeclaringType!);
            var arguments = function.Method.GetParameters().Select(p =>
                p.ParameterType == typeof(TimerInfo) ? timer
                : p.ParameterType == typeof(CancellationToken) ? (object)token
                : throw new NotSupportedException($"The local host cannot bind parameter '{p.Name}' of timer function {function.Name}.")).ToArray();
            if (function.Method.Invoke(instance, arguments) is Task task)
            {
                await task;
            }

            LogSucceeded(function.Name);
        }
        catch (Exception e) when (!token.IsCancellationRequested)
        {
            LogFailed(function.Name, e);
        }
    }

    private async Task<BlobLeaseClient?> TryLeaseAsync(TimerFunction function, CancellationToken token)
    {
        var blob = container.Value.GetBlobClient($"locks/{HostId}/{function.Name}.Listener");
        try
        {
            await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, token);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
        }

        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(LeasePeriod, cancellationToken: token);
            return lease;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return null;
        }
    }

    private static async Task RenewAsync(BlobLeaseClient lease, CancellationTokenSource listening)
    {
        try
        {
            while (!listening.IsCancellationRequested)
            {
                // Real time, not the app's TimeProvider: the storage service expires leases on its own clock.
                await Task.Delay(LeasePeriod / 3, listening.Token);
                await lease.RenewAsync(cancellationToken: listening.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (RequestFailedException)
        {
            // Lost the lease: stop scheduling here; another instance has the timer now.
            await listening.CancelAsync();
        }
    }

    private static async Task ReleaseAsync(BlobLeaseClient lease)
    {
        try
        {
            await lease.ReleaseAsync();
        }
        catch (RequestFailedException)
        {
        }
    }

    private BlobClient StatusBlob(TimerFunction function) => container.Value.GetBlobClient($"timers/{HostId}/{function.Name}/status");

    private async Task<ScheduleStatus?> ReadStatusAsync(TimerFunction function, CancellationToken token)
    {
        try
        {
            var content = await StatusBlob(function).DownloadContentAsync(token);
            return content.Value.Content.ToObjectFromJson<ScheduleStatus>(StatusJson);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private Task WriteStatusAsync(TimerFunction function, ScheduleStatus status, CancellationToken token) =>
        StatusBlob(function).UploadAsync(BinaryData.FromObjectAsJson(status, StatusJson), overwrite: true, token);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer {Function}: next run at {Next:u}")]
    private partial void LogNext(string function, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Executing timer function {Function} (past due: {IsPastDue})")]
    private partial void LogInvoking(string function, bool isPastDue);

    [LoggerMessage(Level = LogLevel.Information, Message = "Timer function {Function} succeeded")]
    private partial void LogSucceeded(string function);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer function {Function} failed (not retried)")]
    private partial void LogFailed(string function, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timer {Function} is disabled: {Reason}")]
    private partial void LogBadSchedule(string function, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer {Function}: listener fault, retrying: {Reason}")]
    private partial void LogListenerFault(string function, string reason);
}
