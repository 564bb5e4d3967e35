using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Tests.Storage;

/// <summary>A revision's entity read back: what it says, and what reading it costs a rollup, which reads every row of a day.</summary>
public sealed class ReportEntityMapperTests
{
    private static readonly ReportEntityMapper Mapper = new(new ReportShape(IndicatorCatalogue.LoadEmbedded()));

    private static StoredReport Report(IReadOnlyList<ReportWarning> warnings) => new("623024100", new DateOnly(2026, 11, 27), 2, "a-1",
        new Dictionary<string, decimal> { ["returnees"] = 3, ["fromEpidemicAreas"] = 1, ["homeQuarantine"] = 5, ["donatedCashYuan"] = 1500.57m },
        "注", "卓玛", "13800138000", DateTimeOffset.UnixEpoch, true, "r", warnings, "h", "t", "township");

    [Fact]
    public void Values_warnings_or_none_read_back_as_written()
    {
        foreach (var warnings in new IReadOnlyList<ReportWarning>[] { [], [new ReportWarning("returnees", SoftRules.Outlier, 40, 4)] })
        {
            var report = Report(warnings);

            var read = Mapper.FromEntity(Mapper.ToEntity(report, "623024", "row"));

            Assert.Equal(report.Values, read.Values);
            Assert.Equal(warnings, read.Warnings);
            Assert.Equal(report with { Values = read.Values, Warnings = read.Warnings }, read);
        }
    }

    [Fact]
    public void Reading_a_row_allocates_its_values_not_a_column_name_per_indicator()
    {
        var entity = Mapper.ToEntity(Report([]), "623024", "row");
        Mapper.FromEntity(entity);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            Mapper.FromEntity(entity);
        }

        // The report and its values' dictionary: about 0.7 KB (four values). Each indicator's column name made anew
        // ("v_" + key, 33 a row) and the empty warnings parsed with the serializer cost about 1.9 KB more (2.6 KB).
        Assert.InRange((GC.GetAllocatedBytesForCurrentThread() - before) / 100, 0, 1500);
    }
    [Fact]
    public void A_rollup_row_reads_as_the_entity_it_was_written_from_its_unit_day_and_number_from_its_key()
    {
        var report = Report([new ReportWarning("returnees", SoftRules.Outlier, 40, 4)]) with { Revision = 12345 };
        var entity = Mapper.ToEntity(report, "623024", ReportKeys.RevisionRow(report.ReportDate, report.UnitCode, report.Revision));
        // As the table client fills it without metadata: the selected properties one by one, an Int64 as its text.
        var row = new RollupRow();
        foreach (var name in Mapper.RollupProperties)
        {
            if (entity.TryGetValue(name, out var value))
            {
                row[name] = value is long whole ? whole.ToString(System.Globalization.CultureInfo.InvariantCulture) : value;
            }
        }

        var indicators = new ReportShape(IndicatorCatalogue.LoadEmbedded()).Indicators;
        var (values, present) = (new decimal[indicators.Count], new bool[indicators.Count]);
        var read = Mapper.ReadRollupRow(row, values, present);

        Assert.Equal((report.UnitCode, ReportKeys.Day(report.ReportDate), 12345, true, "注", "卓玛", "13800138000"),
            (read.UnitCode.ToString(), read.ReportDate.ToString(), read.Revision, read.Late, read.Notes, read.ReporterName, read.ReporterPhone));
        Assert.Equal(report.Warnings, read.Warnings);
        Assert.Equal(report.Values.OrderBy(v => v.Key),
            indicators.Select((indicator, i) => (indicator.Key, i)).Where(p => present[p.i]).Select(p => KeyValuePair.Create(p.Key, values[p.i])).OrderBy(v => v.Key));
    }
}
