using System.Net;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Testing;

namespace Pipeline.LocalHost.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class QueueOutputTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_queue_output_is_written_in_the_hosts_encoding_after_the_answer_and_notifies_that_queues_listener()
    {
        var queueName = $"Probe-Out-{Guid.NewGuid():N}";
        var watcher = new SharedQueueWatcher();
        var notifications = 0;
        var notified = new TaskCompletionSource();
        watcher.Register(queueName.ToLowerInvariant(), () =>
        {
            Interlocked.Increment(ref notifications);
            notified.TrySetResult();
        });
        await using var probe = await ProbeHost.StartAsync(typeof(QueueOutputProbeFunctions), builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ProbeStorage"] = azurite.ConnectionString, ["ProbeOutputQueue"] = queueName,
            });
            builder.Services.AddSingleton(new QueueHostOptions(5, 16, 16, TimeSpan.FromSeconds(2), TimeSpan.Zero, QueueMessageEncoding.Base64));
            builder.Services.AddSingleton(watcher);
            builder.Services.AddSingleton<QueueOutputWriter>();
        });
        using var client = probe.Client();

        // No message set: nothing is written, nobody is woken (checked at the end).
        var none = await client.PostAsync("api/probe/enqueue/none", null);
        Assert.Equal(HttpStatusCode.Accepted, none.StatusCode);

        var text = "报告 " + Guid.NewGuid();
        var answer = await client.PostAsync($"api/probe/enqueue/{Uri.EscapeDataString(text)}", null);
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal("\"queued\"", await answer.Content.ReadAsStringAsync());

        // The host lower-cases the queue name and creates the queue; the answer may arrive just before the message is written.
        var raw = new QueueClient(azurite.ConnectionString, queueName.ToLowerInvariant(), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        Azure.Storage.Queues.Models.PeekedMessage[] peeked = [];
        while (peeked.Length == 0 && DateTime.UtcNow < deadline)
        {
            peeked = (await raw.ExistsAsync()).Value ? (await raw.PeekMessagesAsync()).Value : [];
            await Task.Delay(peeked.Length == 0 ? 50 : 0);
        }

        Assert.Equal(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text)), Assert.Single(peeked).Body.ToString());
        await notified.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(1, notifications);
    }
}
