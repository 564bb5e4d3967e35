using System.Runtime;

namespace Pipeline.Benchmarks;

/// <summary>
/// Warm-up rounds until the JIT is at rest. The runtime promotes a method to optimized code only after 30 calls
/// counted from when the JIT was last quiet for 100 ms (and, with dynamic PGO, through an instrumented tier first), so
/// a short warm-up leaves the promotions of everything it ran to the first measured run: in one 5-second ingest run,
/// 2,600 methods and 2.7 s of the JIT's time on the two cores the run is measured on, in the raw run before it 5,400.
/// A rate is measured on the code as it stays, so the rounds go on until one compiles fewer than
/// <see cref="SettledMethods"/> methods, at most <see cref="MaxRounds"/> times; the note says what each compiled.
/// </summary>
public static class JitWarmUp
{
    public const int MaxRounds = 10;

    /// <summary>
    /// A quiet spell after each round: under load any new method resets the runtime's 100 ms delay, and the background
    /// compiler shares the two cores with the load; idle, the promotions already counted are compiled.
    /// </summary>
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(500);

    public const int SettledMethods = 100;

    /// <summary>Runs <paramref name="round"/> until the JIT settles; returns the note (methods compiled per round).</summary>
    public static async Task<string> RunAsync(Func<Task> round)
    {
        var compiled = new List<long>();
        do
        {
            var before = JitInfo.GetCompiledMethodCount();
            await round();
            await Task.Delay(Idle);
            compiled.Add(JitInfo.GetCompiledMethodCount() - before);
        }
        while (compiled[^1] >= SettledMethods && compiled.Count < MaxRounds);

        return $"warm-up: {compiled.Count} round(s), methods compiled in each: {string.Join(", ", compiled.Select(c => c.ToString("N0")))}";
    }
}
