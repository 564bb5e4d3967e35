using System.Collections.Concurrent;
using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;

namespace Pipeline.LocalHost.Tests;

/// <summary>Functions that exist only for these tests; their queues come from settings, as <c>%Setting%</c> names.</summary>
public sealed class QueueProbeFunctions
{
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<(string Text, long DequeueCount, DateTime At)>> Calls = new();
    public static readonly ConcurrentDictionary<string, int> Running = new();
    public static readonly ConcurrentDictionary<string, int> MaxRunning = new();

    [Function("ProbeFail")]
    public Task Fail([QueueTrigger("%ProbeFailQueue%", Connection = "ProbeStorage")] QueueMessage message)
    {
        Note("fail", message.MessageText, message.DequeueCount);
        throw new InvalidOperationException("probe failure");
    }

    [Function("ProbeText")]
    public Task Text([QueueTrigger("%ProbeTextQueue%", Connection = "ProbeStorage")] string text, CancellationToken cancellationToken)
    {
        Note("text", text, 0);
        return Task.CompletedTask;
    }

    [Function("ProbeSlow")]
    public async Task Slow([QueueTrigger("%ProbeSlowQueue%", Connection = "ProbeStorage")] BinaryData body, CancellationToken cancellationToken)
    {
        var now = Running.AddOrUpdate("slow", 1, (_, n) => n + 1);
        MaxRunning.AddOrUpdate("slow", now, (_, max) => Math.Max(max, now));
        await Task.Delay(400, cancellationToken);
        Running.AddOrUpdate("slow", 0, (_, n) => n - 1);
        Note("slow", body.ToString(), 0);
    }

    [Function("ProbeLong")]
    public async Task Long([QueueTrigger("%ProbeLongQueue%", Connection = "ProbeStorage")] QueueMessage message, CancellationToken cancellationToken)
    {
        Note("long", message.MessageText, message.DequeueCount);
        await Task.Delay(TimeSpan.FromSeconds(7), cancellationToken);
    }

    private static void Note(string probe, string text, long dequeueCount) =>
        Calls.GetOrAdd(probe, _ => new()).Enqueue((text, dequeueCount, DateTime.UtcNow));
}
