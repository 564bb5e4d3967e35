using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Pipeline.Azurite;

/// <summary>
/// A private Azurite (the npm package pinned in package.json) on free ports with a temporary folder:
/// never the developer's 10000-10002 or their data. It can be stopped and restarted on the same ports.
/// Used by the tests and the benchmarks.
/// </summary>
public sealed class AzuriteProcess(string repositoryRoot) : IAsyncDisposable
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "azurite-test-" + Guid.NewGuid().ToString("N"));
    private Process? process;

    /// <summary>Tries of <see cref="StartNewAsync"/>, each on new free ports, before it gives up.</summary>
    private const int StartAttempts = 5;

    public int BlobPort { get; private set; } = FreePort();

    public int QueuePort { get; private set; } = FreePort();

    public int TablePort { get; private set; } = FreePort();

    /// <summary>How the last <see cref="StopAsync"/> ended Azurite.</summary>
    public AzuriteStop LastStop { get; private set; }

    /// <summary>Azurite's last lines on standard error: what it said when it stopped on its own.</summary>
    private readonly ConcurrentQueue<string> errorLines = new();

    /// <summary>
    /// Keeps the data in memory only (<c>--inMemoryPersistence</c>): nothing survives a stop, and no periodic save of
    /// the whole database stalls Azurite's one thread (the benchmarks measure the storage's own speed with it).
    /// </summary>
    public bool InMemory { get; init; }

    /// <summary>
    /// Runs Azurite's node with <c>--trace-gc</c> and keeps its full collections (<see cref="FullCollections"/>): the
    /// benchmark says which of its slowest requests ran during one. Off for the tests.
    /// </summary>
    public bool TraceFullCollections { get; init; }

    /// <summary>The full collections of Azurite's heap so far, when <see cref="TraceFullCollections"/> is on.</summary>
    public IReadOnlyList<AzuriteFullCollection> FullCollections => [.. fullCollections];

    private readonly ConcurrentQueue<AzuriteFullCollection> fullCollections = new();

    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>
    /// Starts Azurite on its ports. A port found free can be taken before Azurite binds it (by another listener, or as
    /// the local port of an outgoing connection: both come from the same range), and Azurite then exits: it is started
    /// again on new free ports, up to <see cref="StartAttempts"/> times. (A restart, <see cref="StartAsync"/>, keeps its ports.)
    /// </summary>
    public async Task StartNewAsync()
    {
        Directory.CreateDirectory(folder);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException) when (process is { HasExited: true } && attempt < StartAttempts)
            {
                process.Dispose();
                process = null;
                (BlobPort, QueuePort, TablePort) = (FreePort(), FreePort(), FreePort());
            }
        }
    }

    public async Task StartAsync()
    {
        var azurite = Path.Combine(repositoryRoot, "node_modules", ".bin", "azurite");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException($"Azurite is not installed at {azurite}: run `npm ci` at the repository root (./test.sh does).");
        }

        var start = new ProcessStartInfo(azurite)
        {
            ArgumentList =
            {
                // Azurite collects telemetry for Microsoft unless told not to: an OpenTelemetry span and record per
                // request (about 0.3 ms of its one thread's time each), sent to Application Insights in Azure, which
                // nothing here may reach, so at a stop it goes on trying to send for seconds to minutes before it exits.
                "--silent", "--disableTelemetry", "--skipApiVersionCheck",
                "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
                "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (TraceFullCollections)
        {
            // The same script the .bin shim runs, under node with the flag (node refuses --trace-gc in NODE_OPTIONS).
            start.FileName = "node";
            start.ArgumentList.Insert(0, azurite);
            start.ArgumentList.Insert(0, "--trace-gc");
        }

        // Azurite refuses --location together with --inMemoryPersistence.
        start.ArgumentList.Add(InMemory ? "--inMemoryPersistence" : "--location");
        if (!InMemory)
        {
            start.ArgumentList.Add(folder);
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
        // Ready when Azurite says each of its three services listens: a port that merely accepts a connection may be
        // another process's that took it (Azurite then exits on EADDRINUSE, perhaps only after the port was tried).
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var services = 0;
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains(" service is successfully listening at ", StringComparison.Ordinal) == true
                && Interlocked.Increment(ref services) == 3)
            {
                listening.TrySetResult();
            }

            if (TraceFullCollections && line.Data is { } text && AzuriteFullCollection.FromTraceLine(text, Stopwatch.GetTimestamp()) is { } collection)
            {
                fullCollections.Enqueue(collection);
            }
        };
        errorLines.Clear();
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { Length: > 0 } text)
            {
                errorLines.Enqueue(text);
                while (errorLines.Count > 5 && errorLines.TryDequeue(out string? _))
                {
                }
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var timeout = TimeSpan.FromSeconds(60);
        var exited = process.WaitForExitAsync();
        if (await Task.WhenAny(listening.Task, exited, Task.Delay(timeout)) == exited)
        {
            // Its error output is read on another thread: the wait for its exit has all of it.
            throw new InvalidOperationException($"Azurite exited with code {process.ExitCode}: {string.Join(" / ", errorLines)}");
        }

        if (!listening.Task.IsCompleted)
        {
            throw new TimeoutException($"Azurite did not listen on ports {BlobPort}, {QueuePort} and {TablePort} within {timeout}.");
        }
    }

    /// <summary>
    /// Stops Azurite the way an outage looks to the app (connections refused), but with SIGINT first so that
    /// Azurite flushes what it acknowledged: its on-disk persistence is lazy, unlike real Azure Storage.
    /// </summary>
    public async Task StopAsync()
    {
        LastStop = AzuriteStop.None;
        if (process is { HasExited: false })
        {
            await SignalAsync("-CONT");
            using (var interrupt = Process.Start("kill", ["-INT", process.Id.ToString()]))
            {
                await interrupt!.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(grace.Token);
                LastStop = AzuriteStop.ExitedOnInterrupt;
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                LastStop = AzuriteStop.Killed;
            }
        }

        process?.Dispose();
        process = null;
    }

    /// <summary>
    /// Freezes Azurite with SIGSTOP: connections are still accepted by the kernel but nothing answers, as a storage
    /// account that hangs looks to the app (unlike <see cref="StopAsync"/>, where connections are refused).
    /// </summary>
    public Task PauseAsync() => SignalAsync("-STOP");

    /// <summary>Lets a paused Azurite run again (SIGCONT); it then answers what it received meanwhile.</summary>
    public Task ResumeAsync() => SignalAsync("-CONT");

    private async Task SignalAsync(string signal)
    {
        if (process is not { HasExited: false })
        {
            throw new InvalidOperationException("Azurite is not running.");
        }

        using var kill = Process.Start("kill", [signal, process.Id.ToString()])!;
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a dying process; the temp folder is cleaned by the OS later.
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
