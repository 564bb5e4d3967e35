using BenchmarkDotNet.Configs;

namespace Pipeline.MicroBenchmarks;

/// <summary>
/// BenchmarkDotNet builds a copy of the project (with the reporting library) before it measures; on a busy 2-core
/// machine that takes longer than its default 2 minutes.
/// </summary>
public sealed class MicroBenchmarkConfig : ManualConfig
{
    public MicroBenchmarkConfig() => WithBuildTimeout(TimeSpan.FromMinutes(10));
}
