using BenchmarkDotNet.Running;
using Pipeline.MicroBenchmarks;

// Usage: dotnet run -c Release --project bench/Pipeline.MicroBenchmarks (or the harness's `micro` part, which runs this).
BenchmarkRunner.Run<ValidationBenchmarks>();
BenchmarkRunner.Run<RenderingBenchmarks>();
