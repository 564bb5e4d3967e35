using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.Azurite;

/// <summary>
/// One full collection of Azurite's V8 heap (a Mark-Compact), from its <c>--trace-gc</c> line: from the start of its
/// marking to the line's arrival, in <see cref="Stopwatch"/> timestamps. Its marking runs on helper threads beside
/// Azurite's one thread, so on a small machine it takes the cores the app and the load generator run on: the
/// benchmark's slowest requests fall inside these (docs/performance.md, "Seventh round").
/// </summary>
public sealed partial record AzuriteFullCollection(long StartTimestamp, long EndTimestamp)
{
    public TimeSpan Duration => Stopwatch.GetElapsedTime(StartTimestamp, EndTimestamp);

    /// <summary>Whether an operation from <paramref name="start"/> to <paramref name="end"/> (timestamps) ran during this collection.</summary>
    public bool Overlaps(long start, long end) => start <= EndTimestamp && end >= StartTimestamp;

    /// <summary>
    /// Reads a line of <c>node --trace-gc</c> that arrived at <paramref name="receivedAt"/>: a Mark-Compact's line
    /// (<c>... ms: Mark-Compact 260.4 (299.8) -> 109.4 (300.3) MB, 6.97 / 0.42 ms (+ 20.4 ms in 153 steps since start of
    /// marking, biggest step 3.3 ms, walltime since start of marking 114 ms) ...</c>) gives the collection that began
    /// the marking's wall time and the pause before; any other line gives null.
    /// </summary>
    public static AzuriteFullCollection? FromTraceLine(string line, long receivedAt)
    {
        var match = MarkCompact().Match(line);
        if (!match.Success)
        {
            return null;
        }

        var pause = double.Parse(match.Groups["pause"].Value, CultureInfo.InvariantCulture);
        var marking = match.Groups["marking"].Success ? double.Parse(match.Groups["marking"].Value, CultureInfo.InvariantCulture) : 0;
        var ticks = (long)((pause + marking) / 1000 * Stopwatch.Frequency);
        return new AzuriteFullCollection(receivedAt - ticks, receivedAt);
    }

    [GeneratedRegex(@"Mark-Compact(?: \(reduce\))? [\d.]+ \([\d.]+\) -> [\d.]+ \([\d.]+\) MB, (?<pause>[\d.]+) /(?:.*walltime since start of marking (?<marking>\d+) ms)?")]
    private static partial Regex MarkCompact();
}
