using System.Diagnostics;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Reporting.Batches;
using Pipeline.Testing;

namespace Pipeline.LocalHost.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class QueueListenerTests(AzuriteFixture azurite)
{
    private static QueueHostOptions Options(int batchSize = 16, int? threshold = null, TimeSpan? visibility = null, QueueMessageEncoding encoding = QueueMessageEncoding.Base64) =>
        new(5, batchSize, threshold ?? batchSize / 2 * Environment.ProcessorCount, TimeSpan.FromMilliseconds(300), visibility ?? TimeSpan.Zero, encoding);

    /// <summary>Runs the probe function named <paramref name="function"/> on a fresh queue until <paramref name="until"/> holds.</summary>
    private async Task<(QueueClient Queue, QueueClient Poison)> RunAsync(
        string function, QueueHostOptions options, Func<QueueClient, Task> arrange, Func<QueueClient, QueueClient, Task<bool>> until, TimeSpan timeout)
    {
        var queueName = $"probe-{Guid.NewGuid():N}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ProbeStorage"] = azurite.ConnectionString,
            ["Probe" + function + "Queue"] = queueName,
            ["ProbeFailQueue"] = "unused", ["ProbeLongQueue"] = "unused", ["ProbeTextQueue"] = "unused", ["ProbeSlowQueue"] = "unused",
        }).Build();
        configuration["Probe" + function + "Queue"] = queueName;
        var discovered = QueueFunction.Discover(typeof(QueueProbeFunctions).Assembly, configuration)
            .Single(f => f.Name == "Probe" + function);
        Assert.Equal(queueName, discovered.QueueName);

        var options64 = new QueueClientOptions { MessageEncoding = options.MessageEncoding };
        var queue = new QueueClient(azurite.ConnectionString, queueName, options64);
        var poison = new QueueClient(azurite.ConnectionString, queueName + "-poison", options64);
        await queue.CreateIfNotExistsAsync();
        await arrange(queue);

        var listener = new QueueTriggerListener(discovered, queue, poison, options, new ServiceCollection().BuildServiceProvider(), NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = listener.RunAsync(stop.Token);
        var watch = Stopwatch.StartNew();
        while (!await until(queue, poison))
        {
            Assert.True(watch.Elapsed < timeout, $"the condition did not hold within {timeout}");
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await running;
        return (queue, poison);
    }

    private static async Task<int> CountAsync(QueueClient queue) =>
        (await queue.ExistsAsync()).Value ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;

    [Fact]
    public void Discovery_finds_the_queue_triggers_of_functions_metadata_with_their_queue_and_connection()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        var metadata = document.RootElement.EnumerateArray()
            .SelectMany(f => f.GetProperty("bindings").EnumerateArray()
                .Where(b => b.GetProperty("type").GetString() == "queueTrigger")
                .Select(b => (f.GetProperty("name").GetString()!, b.GetProperty("queueName").GetString()!, b.GetProperty("connection").GetString()!)))
            .ToList();
        var configuration = new ConfigurationBuilder().Build();
        var discovered = QueueFunction.Discover(typeof(Pipeline.Functions.FunctionsServiceCollectionExtensions).Assembly, configuration)
            .Select(f => (f.Name, f.QueueName, f.Connection)).ToList();
        Assert.Equal([("ProcessReportBatch", "report-submissions", "PipelineStorage")], metadata);
        Assert.Equal(metadata, discovered);
    }

    [Fact]
    public void Host_json_queue_settings_are_read_with_the_hosts_defaults_and_app_setting_overrides()
    {
        var hostJson = Path.Combine(AppContext.BaseDirectory, "host.json");
        var options = QueueHostOptions.Load(hostJson, new ConfigurationBuilder().Build());
        Assert.Equal(BatchProcessor.MaxDequeueCount, options.MaxDequeueCount);
        Assert.Equal(16, options.BatchSize);
        Assert.Equal(16 / 2 * Environment.ProcessorCount, options.NewBatchThreshold);
        Assert.Equal(TimeSpan.FromSeconds(5), options.VisibilityTimeout);
        Assert.Equal(QueueMessageEncoding.Base64, options.MessageEncoding);
        Assert.Equal(TimeSpan.FromSeconds(2), options.MaxPollingInterval);
        Assert.Equal(TimeSpan.FromMinutes(10), options.ReceiveVisibility);

        var overridden = QueueHostOptions.Load(hostJson, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00",
            ["AzureFunctionsJobHost:extensions:queues:messageEncoding"] = "none",
        }).Build());
        Assert.Equal(TimeSpan.Zero, overridden.VisibilityTimeout);
        Assert.Equal(QueueMessageEncoding.None, overridden.MessageEncoding);
    }

    [Fact]
    public void Without_host_json_settings_the_local_host_polls_and_fetches_as_the_real_host_does_in_Azure()
    {
        var hostJson = Path.Combine(Path.GetTempPath(), $"host-{Guid.NewGuid():N}.json");
        File.WriteAllText(hostJson, """{ "version": "2.0", "extensions": { "queues": { "batchSize": 8 } } }""");
        try
        {
            var options = QueueHostOptions.Load(hostJson, new ConfigurationBuilder().Build());
            Assert.Equal(TimeSpan.FromMinutes(1), options.MaxPollingInterval);
            Assert.Equal(4 * Environment.ProcessorCount, options.NewBatchThreshold);
            Assert.Equal(5, options.MaxDequeueCount);
            Assert.Equal(TimeSpan.Zero, options.VisibilityTimeout);

            var overridden = QueueHostOptions.Load(hostJson, new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:03",
                ["AzureFunctionsJobHost:extensions:queues:newBatchThreshold"] = "2",
            }).Build());
            Assert.Equal(TimeSpan.FromSeconds(3), overridden.MaxPollingInterval);
            Assert.Equal(2, overridden.NewBatchThreshold);
        }
        finally
        {
            File.Delete(hostJson);
        }
    }

    [Fact]
    public void Empty_polls_back_off_exponentially_with_jitter_up_to_the_maximum()
    {
        var max = TimeSpan.FromSeconds(2);
        Assert.Equal(TimeSpan.FromMilliseconds(100), QueueTriggerListener.NextPollDelay(0, max));
        for (var n = 1; n <= 4; n++)
        {
            var delay = QueueTriggerListener.NextPollDelay(n, max).TotalMilliseconds;
            var nominal = Math.Pow(2, n - 1) * 100;
            Assert.InRange(delay, 100 + 0.8 * nominal, 100 + 1.2 * nominal);
        }

        Assert.Equal(max, QueueTriggerListener.NextPollDelay(10, max));
    }

    [Theory]
    [InlineData(QueueMessageEncoding.Base64)]
    [InlineData(QueueMessageEncoding.None)]
    public async Task Messages_are_decoded_in_the_configured_encoding_and_deleted_after_success(QueueMessageEncoding encoding)
    {
        var text = $"报告 {encoding} {Guid.NewGuid()}";
        var (queue, poison) = await RunAsync("Text", Options(encoding: encoding),
            q => q.SendMessageAsync(text),
            async (q, _) => QueueProbeFunctions.Calls.TryGetValue("text", out var calls) && calls.Any(c => c.Text == text) && await CountAsync(q) == 0,
            TimeSpan.FromSeconds(20));
        Assert.Equal(0, await CountAsync(poison));

        if (encoding == QueueMessageEncoding.Base64)
        {
            // What travels is base64, as the Functions host and other clients expect.
            var raw = new QueueClient(azurite.ConnectionString, queue.Name, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
            await raw.SendMessageAsync(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("raw " + text)));
            Assert.Equal("raw " + text, (await queue.PeekMessageAsync()).Value.Body.ToString());
        }
    }

    [Fact]
    public async Task A_failing_message_is_retried_after_the_visibility_timeout_and_moved_to_poison_after_max_dequeue_count()
    {
        var text = "fail " + Guid.NewGuid();
        var (queue, poison) = await RunAsync("Fail", Options(visibility: TimeSpan.FromSeconds(1)),
            q => q.SendMessageAsync(text),
            async (q, p) => await CountAsync(p) > 0,
            TimeSpan.FromSeconds(40));

        var calls = QueueProbeFunctions.Calls["fail"].Where(c => c.Text == text).ToList();
        Assert.Equal([1L, 2, 3, 4, 5], calls.Select(c => c.DequeueCount));
        foreach (var (earlier, later) in calls.Zip(calls.Skip(1)))
        {
            Assert.True(later.At - earlier.At >= TimeSpan.FromMilliseconds(900), $"retried after {(later.At - earlier.At).TotalMilliseconds} ms");
        }

        Assert.Equal(0, await CountAsync(queue));
        var poisoned = (await poison.ReceiveMessageAsync()).Value;
        Assert.Equal(text, poisoned.Body.ToString());
    }

    [Fact]
    public async Task A_message_past_max_dequeue_count_goes_to_poison_without_running()
    {
        var text = "worn " + Guid.NewGuid();
        var (queue, poison) = await RunAsync("Fail", Options(),
            async q =>
            {
                await q.SendMessageAsync(text);
                for (var i = 0; i < 5; i++)
                {
                    var m = (await q.ReceiveMessageAsync(TimeSpan.FromSeconds(30))).Value;
                    await q.UpdateMessageAsync(m.MessageId, m.PopReceipt, visibilityTimeout: TimeSpan.Zero);
                }
            },
            async (q, p) => await CountAsync(p) > 0,
            TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(QueueProbeFunctions.Calls.GetValueOrDefault("fail") ?? new(), c => c.Text == text);
        Assert.Equal(text, (await poison.ReceiveMessageAsync()).Value.Body.ToString());
        Assert.Equal(0, await CountAsync(queue));
    }

    [Fact]
    public async Task A_message_stays_invisible_while_its_function_runs_longer_than_the_receive_visibility()
    {
        var text = "long " + Guid.NewGuid();
        var options = Options() with { ReceiveVisibility = TimeSpan.FromSeconds(3) };
        await RunAsync("Long", options,
            q => q.SendMessageAsync(text),
            async (q, _) => QueueProbeFunctions.Calls.TryGetValue("long", out var calls) && calls.Any(c => c.Text == text) && await CountAsync(q) == 0,
            TimeSpan.FromSeconds(20));
        // Renewed every 1.5 s for seven seconds: never visible again, so run once and deleted.
        Assert.Equal([1L], QueueProbeFunctions.Calls["long"].Where(c => c.Text == text).Select(c => c.DequeueCount));
    }

    [Fact]
    public async Task A_message_this_hosts_output_binding_added_ends_the_listeners_wait_at_once()
    {
        // The listener's delays on a clock that never moves: after its first poll it would wait for ever, unless notified.
        var options = Options() with { MaxPollingInterval = TimeSpan.FromMinutes(1) };
        var queueName = $"probe-{Guid.NewGuid():N}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ProbeStorage"] = azurite.ConnectionString, ["ProbeTextQueue"] = queueName,
            ["ProbeFailQueue"] = "unused", ["ProbeLongQueue"] = "unused", ["ProbeSlowQueue"] = "unused",
        }).Build();
        var function = QueueFunction.Discover(typeof(QueueProbeFunctions).Assembly, configuration).Single(f => f.Name == "ProbeText");
        var queue = new QueueClient(azurite.ConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        var first = "first " + Guid.NewGuid();
        await queue.SendMessageAsync(first);
        var watcher = new SharedQueueWatcher();
        var listener = new QueueTriggerListener(function, queue, new QueueClient(azurite.ConnectionString, queueName + "-poison"), options,
            new ServiceCollection().BuildServiceProvider(), NullLogger.Instance, watcher, new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        using var stop = new CancellationTokenSource();
        var running = listener.RunAsync(stop.Token);

        async Task SeenAsync(string text)
        {
            var watch = Stopwatch.StartNew();
            while (!(QueueProbeFunctions.Calls.TryGetValue("text", out var calls) && calls.Any(c => c.Text == text)))
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"'{text}' was not processed");
                await Task.Delay(50);
            }
        }

        await SeenAsync(first);
        var second = "from this host " + Guid.NewGuid();
        await queue.SendMessageAsync(second);
        watcher.Notify(queueName);
        await SeenAsync(second);

        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Messages_run_in_parallel_up_to_batch_size()
    {
        QueueProbeFunctions.MaxRunning["slow"] = 0;
        await RunAsync("Slow", Options(batchSize: 4, threshold: 0),
            async q =>
            {
                for (var i = 0; i < 12; i++)
                {
                    await q.SendMessageAsync($"slow {i}");
                }
            },
            async (q, _) => await CountAsync(q) == 0 && QueueProbeFunctions.Running.GetValueOrDefault("slow") == 0,
            TimeSpan.FromSeconds(30));
        Assert.Equal(4, QueueProbeFunctions.MaxRunning["slow"]);
    }
}
