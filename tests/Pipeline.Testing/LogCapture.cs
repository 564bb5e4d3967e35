using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pipeline.Testing;

/// <summary>Collects every formatted log line (with its structured values) a host writes.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyCollection<string> Lines => lines;

    /// <summary>The first line, logged before or after this call, that <paramref name="match"/> accepts; fails after <paramref name="within"/> (30 s).</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan? within = null)
    {
        using var deadline = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            if (lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            await Task.Delay(20, deadline.Token);
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            lines.Enqueue($"{category} {formatter(state, exception)} {values} {exception}");
        }
    }
}
