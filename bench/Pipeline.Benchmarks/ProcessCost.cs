using System.Diagnostics;
using System.Runtime;

namespace Pipeline.Benchmarks;

/// <summary>
/// Where a run's time went, beside its rate: CPU per operation of this process (the load generator, the local host
/// and the storage clients) and of its child processes (Azurite), the garbage collections and their pauses, and the
/// bytes allocated per operation. On two shared cores the rate follows the CPU both processes spend per operation,
/// and a collection pauses every request in flight, which is where a p99 comes from. Printed as a note, not a figure.
/// </summary>
public sealed class ProcessCost
{
    private readonly TimeSpan cpu = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly double? childCpu = ChildCpuSeconds();
    private readonly int[] collections = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly TimeSpan paused = GC.GetTotalPauseDuration();
    private readonly long allocated = GC.GetTotalAllocatedBytes();
    private readonly long compiled = JitInfo.GetCompiledMethodCount();

    public static ProcessCost Start() => new();

    public string Of(Measurement run)
    {
        var operations = Math.Max(1, run.Operations);
        var self = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / operations;
        var children = ChildCpuSeconds() is { } now && childCpu is { } before ? $"{(now - before) * 1000 / operations:F2} ms" : "unknown";
        return $"{run.Name}: CPU per op {self:F2} ms here, {children} in Azurite; " +
            $"{GC.CollectionCount(0) - collections[0]} collections ({GC.CollectionCount(1) - collections[1]} gen1, {GC.CollectionCount(2) - collections[2]} gen2), " +
            $"{(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms paused; {(GC.GetTotalAllocatedBytes() - allocated) / 1024.0 / operations:F1} KB allocated per op; " +
            $"{JitInfo.GetCompiledMethodCount() - compiled:N0} methods compiled";
    }

    /// <summary>The same for one piece of work as a whole: CPU seconds of this process and of Azurite, and the collections.</summary>
    public string Whole()
    {
        var self = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var children = ChildCpuSeconds() is { } now && childCpu is { } before ? $"{now - before:F2} s" : "unknown";
        return $"CPU {self:F2} s here, {children} in Azurite, {GC.CollectionCount(0) - collections[0]} collections " +
            $"({GC.CollectionCount(1) - collections[1]} gen1, {GC.CollectionCount(2) - collections[2]} gen2)";
    }

    /// <summary>CPU seconds of every process below this one (Azurite's node), from /proc; null where there is none.</summary>
    private static double? ChildCpuSeconds()
    {
        if (!Directory.Exists("/proc/self"))
        {
            return null;
        }

        var parents = new Dictionary<int, int>();
        var ticks = new Dictionary<int, long>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                // Fields after the command's closing parenthesis: state, ppid, ..., utime (14th), stime (15th) of the whole line.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                parents[pid] = int.Parse(fields[1]);
                ticks[pid] = long.Parse(fields[11]) + long.Parse(fields[12]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while the list was read.
            }
        }

        bool Below(int pid)
        {
            for (var p = pid; parents.TryGetValue(p, out var parent) && p > 1; p = parent)
            {
                if (parent == Environment.ProcessId)
                {
                    return true;
                }
            }

            return false;
        }

        // Linux counts CPU time in clock ticks of 1/100 s (USER_HZ).
        return ticks.Where(t => Below(t.Key)).Sum(t => t.Value) / 100.0;
    }
}
