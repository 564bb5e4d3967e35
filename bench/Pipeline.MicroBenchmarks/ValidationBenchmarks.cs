using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.MicroBenchmarks;

/// <summary>The per-report CPU work on the ingest path: parse, validate, fingerprint.</summary>
[MemoryDiagnoser]
[Config(typeof(MicroBenchmarkConfig))]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class ValidationBenchmarks
{
    private readonly HardRules validation;
    private readonly ReportInput input;
    private readonly byte[] json;

    public ValidationBenchmarks()
    {
        var clock = new ReportingClock(TimeProvider.System, Options.Create(new PipelineOptions()));
        validation = new HardRules(new ReportValidator(new ReportShape(IndicatorCatalogue.LoadEmbedded()), UnitRegistry.LoadEmbedded(), clock));
        var today = clock.Today.ToString("yyyy-MM-dd");
        json = System.Text.Encoding.UTF8.GetBytes(
            $$$"""{"unitCode":"623024100","reportDate":"{{{today}}}","submissionId":"a1b2c3","values":{"returnees":12,"fromEpidemicAreas":3,"fromHubei":1,"fromWuhan":0,"homeQuarantine":3,"feverReferred":0,"vehiclesChecked":20,"personsChecked":40,"turnedBack":2,"householdsSurveyed":30,"personsSurveyed":90,"donatedCashYuan":1500.5},"notes":"正常","reporter":{"name":"卓玛","phone":"13800138000"}}""");
        input = ReportJsonParser.Parse(json).Input;
    }

    [Benchmark]
    public ValidationOutcome Validate() => validation.Validate(input, backfillAllowed: false);

    [Benchmark]
    public ParsedReport ParseJson() => ReportJsonParser.Parse(json);

    [Benchmark]
    public string ContentHash() => ReportFingerprint.ContentHash(validation.Validate(input, false).Report!);
}
