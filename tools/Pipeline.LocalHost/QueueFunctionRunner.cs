using System.Reflection;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Pipeline.Reporting.Storage;

namespace Pipeline.LocalHost;

/// <summary>
/// Runs every queue-triggered function of the app, found from its attributes as routes are, each with a
/// <see cref="QueueTriggerListener"/> on the queue and connection its attribute names.
/// </summary>
public sealed partial class QueueFunctionRunner(
    Assembly functionsAssembly,
    QueueHostOptions options,
    IConfiguration configuration,
    IServiceProvider services,
    SharedQueueWatcher watcher,
    ILogger<QueueFunctionRunner> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(QueueFunction.Discover(functionsAssembly, configuration).Select(function =>
        {
            QueueClient? poison = null;
            var clients = StorageClientFactory.Create(configuration, function.Connection, queueOptions =>
            {
                queueOptions.MessageEncoding = options.MessageEncoding;
                queueOptions.MessageDecodingFailed += args => MoveUndecodableAsync(args, poison!);
            });
            poison = clients.Queues.GetQueueClient(function.QueueName + "-poison");
            LogListening(function.Name, function.QueueName, options.BatchSize, options.MaxDequeueCount, options.MessageEncoding.ToString());
            var listener = new QueueTriggerListener(
                function, clients.Queues.GetQueueClient(function.QueueName), poison, options, services, logger, watcher);
            return Task.Run(() => listener.RunAsync(stoppingToken), CancellationToken.None);
        }));

    /// <summary>A message that is not in the configured encoding can never bind: like the host, it goes to the poison queue as it is.</summary>
    private async Task MoveUndecodableAsync(QueueMessageDecodingFailedEventArgs args, QueueClient poison)
    {
        if (args.ReceivedMessage is not { } message)
        {
            return;
        }

        await poison.CreateIfNotExistsAsync();
        await poison.SendMessageAsync(message.Body);
        await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        LogUndecodable(message.MessageId, args.Queue.Name);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Queue function {Function} listening on {Queue} (batchSize {BatchSize}, maxDequeueCount {MaxDequeueCount}, encoding {Encoding})")]
    private partial void LogListening(string function, string queue, int batchSize, int maxDequeueCount, string encoding);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} from {Queue} is not in the configured encoding: moved to the poison queue")]
    private partial void LogUndecodable(string messageId, string queue);
}
