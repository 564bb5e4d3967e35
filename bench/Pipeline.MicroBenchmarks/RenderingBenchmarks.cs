using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Rollups.Rendering;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.MicroBenchmarks;

/// <summary>
/// Rendering one prefecture-size rollup (every township of the unit registry, synthetic values) to each of the
/// four files the nightly build writes, and one county's PDF (舟曲县, 19 townships: its chart names its bars and gives
/// their values upright, as every county's does). The PDF uses the machine's Chinese font when it has one, as the app does.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(MicroBenchmarkConfig))]
[SimpleJob(warmupCount: 3, iterationCount: 8)]
public class RenderingBenchmarks
{
    private RollupDocument rollup = null!;
    private RollupDocument county = null!;
    private CsvRollupRenderer csv = null!;
    private XlsxRollupRenderer xlsx = null!;
    private JsonRollupRenderer json = null!;
    private PdfRollupRenderer pdf = null!;

    [GlobalSetup]
    public void Setup()
    {
        var units = UnitRegistry.LoadEmbedded();
        var catalogue = IndicatorCatalogue.LoadEmbedded();
        var tables = new RollupTables(catalogue, units, Messages.LoadEmbedded(),
            new ReportingClock(TimeProvider.System, Microsoft.Extensions.Options.Options.Create(new Pipeline.Reporting.Configuration.PipelineOptions())));
        var buffers = RollupBufferPool.Create();
        var fonts = new PdfFontLocator(new ConfigurationBuilder().Build(), NullLogger<PdfFontLocator>.Instance);
        csv = new CsvRollupRenderer(tables, buffers);
        xlsx = new XlsxRollupRenderer(tables, buffers);
        json = new JsonRollupRenderer();
        pdf = new PdfRollupRenderer(tables, catalogue, fonts, buffers);
        rollup = SyntheticRollup(units, catalogue, new DateOnly(2026, 11, 27));
        county = SyntheticRollup(units, catalogue, new DateOnly(2026, 11, 27), units.Find(CountyCode));
        Console.WriteLine($"// rollup: {rollup.Completeness.Expected} units in {rollup.Counties.Count} counties, " +
            $"{rollup.Completeness.Reported} reported; PDF font: {fonts.Path ?? "none (no Chinese font found)"}");
        foreach (var file in new[] { Csv(), Xlsx(), Json(), Pdf(), CountyPdf() })
        {
            Console.WriteLine($"// {file.Name}: {file.Content.Length:N0} bytes");
        }
    }

    /// <summary>
    /// A day on which nine in ten townships reported every indicator (values derived from the unit's position, so
    /// every run renders the same document), one in ten is missing and one in seven was late or has a warning.
    /// </summary>
    public static RollupDocument SyntheticRollup(UnitRegistry units, IndicatorCatalogue catalogue, DateOnly date, AdminUnit? within = null)
    {
        var reader = new DayReader(null!, units, catalogue);
        var counties = new List<CountyRollup>();
        var unitRollups = new List<UnitRollup>();
        var position = 0;
        foreach (var county in units.Counties)
        {
            var mine = new List<UnitRollup>();
            foreach (var township in units.TownshipsWithin(county.Code))
            {
                position++;
                if (position % 10 == 0)
                {
                    mine.Add(new UnitRollup(township.Code, township.NameZh, county.Code, false, false, null, new Dictionary<string, decimal>(), []));
                    continue;
                }

                var values = new Dictionary<string, decimal>(StringComparer.Ordinal);
                for (var i = 0; i < catalogue.Indicators.Count; i++)
                {
                    var indicator = catalogue.Indicators[i];
                    values[indicator.Key] = indicator.Bounds.Decimals == 0 ? (position * 7 + i * 13) % 200 : (position * 731 + i) % 100_000 / 100m;
                }

                IReadOnlyList<ReportWarning> warnings = position % 7 == 0
                    ? [new ReportWarning(catalogue.Indicators[0].Key, SoftRules.Outlier, 150, 12)]
                    : [];
                mine.Add(new UnitRollup(township.Code, township.NameZh, county.Code, true, position % 7 == 3, 1 + position % 3,
                    reader.InCatalogueOrder(values), warnings));
            }

            var reported = mine.Where(u => u.Reported).ToList();
            var late = reported.Count(u => u.Late);
            counties.Add(new CountyRollup(county.Code, county.NameZh, mine.Count, reported.Count, reported.Count - late, late,
                reader.Sum(reported.Select(u => u.Values))));
            unitRollups.AddRange(mine);
        }

        var missing = unitRollups.Where(u => !u.Reported).Select(u => new MissingUnit(u.Code, u.Name, u.CountyCode)).ToList();
        var completeness = new Completeness(unitRollups.Count, unitRollups.Count - missing.Count,
            counties.Sum(c => c.OnTime), counties.Sum(c => c.Late), missing);
        var day = new DayReading(date, units.Root, completeness, reader.Sum(counties.Select(c => c.Totals)), counties, unitRollups);
        day = within is null ? day : day.Within(within);
        var before = day.Totals.ToDictionary(t => t.Key, t => t.Value * 20, StringComparer.Ordinal);
        return new RollupBuilder(reader, null!, units, catalogue, null!).Compose(day, day, before) with
        {
            Revision = 1,
            GeneratedAt = new DateTimeOffset(2026, 11, 27, 16, 30, 0, TimeSpan.Zero),
        };
    }

    [Benchmark]
    public RenderedFile Csv() => csv.Render(rollup);

    [Benchmark]
    public RenderedFile Xlsx() => xlsx.Render(rollup);

    [Benchmark]
    public RenderedFile Json() => json.Render(rollup);

    [Benchmark]
    public RenderedFile Pdf() => pdf.Render(rollup);

    [Benchmark]
    public RenderedFile CountyPdf() => pdf.Render(county);

    /// <summary>舟曲县: 19 townships, the most of any county.</summary>
    private const string CountyCode = "623023";
}
