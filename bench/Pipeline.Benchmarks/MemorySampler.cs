using System.Diagnostics;

namespace Pipeline.Benchmarks;

/// <summary>
/// Samples this process's managed heap every few milliseconds on a background thread, and its working set every tenth
/// time, from a collected baseline: the peaks above that baseline are what a piece of work held at its worst.
/// </summary>
/// <remarks>
/// The sampler runs inside the work it measures and takes CPU from it. The heap is read from the runtime (cheap, and
/// the GC's own record of the heap before each collection catches a peak between samples); the working set is a read of
/// /proc through a new <see cref="Process"/> each time (most of the sampler's CPU), and it is only printed, never a
/// figure with a target.
/// </remarks>
public sealed class MemorySampler : IDisposable
{
    private readonly long heapBefore;
    private readonly long workingSetBefore;
    private readonly long gcIndexBefore;
    private readonly Thread thread;
    private volatile bool stopped;
    private long heapPeak;
    private long workingSetPeak;

    private MemorySampler()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        heapBefore = heapPeak = GC.GetTotalMemory(false);
        gcIndexBefore = GC.GetGCMemoryInfo(GCKind.Any).Index;
        workingSetBefore = workingSetPeak = WorkingSet();
        thread = new Thread(Sample) { IsBackground = true, Name = "memory sampler" };
        thread.Start();
    }

    public static MemorySampler Start() => new();

    /// <summary>Peak managed heap above the baseline, in bytes.</summary>
    public long HeapPeakAbove => heapPeak - heapBefore;

    /// <summary>Peak working set above the baseline, in bytes.</summary>
    public long WorkingSetPeakAbove => workingSetPeak - workingSetBefore;

    public void Dispose()
    {
        stopped = true;
        thread.Join();
        Take();
    }

    public override string ToString() =>
        $"GC heap +{HeapPeakAbove / 1048576.0:F0} MB, working set +{WorkingSetPeakAbove / 1048576.0:F0} MB";

    private void Sample()
    {
        for (var sample = 1; !stopped; sample++)
        {
            Take(withWorkingSet: sample % WorkingSetEvery == 0);
            Thread.Sleep(5);
        }
    }

    private const int WorkingSetEvery = 10;

    private void Take(bool withWorkingSet = true)
    {
        // GetTotalMemory(false) is the heap now; the heap as the last GC found it catches a peak between samples.
        var heap = GC.GetTotalMemory(false);
        var last = GC.GetGCMemoryInfo(GCKind.Any);
        if (last.Index > gcIndexBefore)
        {
            long before = 0;
            foreach (var generation in last.GenerationInfo)
            {
                before += generation.SizeBeforeBytes;
            }

            heap = Math.Max(heap, before);
        }

        heapPeak = Math.Max(heapPeak, heap);
        if (withWorkingSet)
        {
            workingSetPeak = Math.Max(workingSetPeak, WorkingSet());
        }
    }

    private static long WorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
