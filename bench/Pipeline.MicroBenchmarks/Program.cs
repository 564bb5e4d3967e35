using BenchmarkDotNet.Running;
using Pipeline.MicroBenchmarks;

// Usage: dotnet run -c Release --project bench/Pipeline.MicroBenchmarks [-- --filter '*Pdf*'] (or the harness's `micro` part, which runs this).
BenchmarkRunner.Run<ValidationBenchmarks>(args: args);
BenchmarkRunner.Run<RenderingBenchmarks>(args: args);
