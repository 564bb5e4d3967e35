using System.Text;
using System.Text.Json;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Rollups.Rendering;
using Pipeline.Reporting.Submissions;
using static Pipeline.Reporting.Tests.Rollups.RollupFixtures;

namespace Pipeline.Reporting.Tests.Rollups;

/// <summary>
/// The streamed parts of the rollup say exactly what the whole-document ones said: the JSON written unit by unit is the
/// serializer's JSON byte for byte, the content hash is the one stored revisions carry, and compact unit values read as
/// the dictionaries they replace.
/// </summary>
public sealed class RollupStreamingTests
{
    private static readonly DateOnly Date = new(2026, 11, 26);
    /// <summary>The file's format: the API's JSON options, compact.</summary>
    private static readonly JsonSerializerOptions FileOptions = JsonDefaults.Web;

    /// <summary>Documents that exercise every property: optional ones absent and present, warnings, notes, a county.</summary>
    public static TheoryData<string> Documents() => ["prefecture", "county", "revision 2", "provisional, not generated", "nobody reported"];

    private static RollupDocument Document(string name)
    {
        var busy = Busy();
        busy[busy.Keys.First()]["donatedCashYuan"] = 12.50m;
        var today = Day(Date, busy, notes: "=HYPERLINK(\"x\") 发现 1 例发热，已转诊");
        var yesterday = Day(Date.AddDays(-1), Busy(3));
        var warned = today with
        {
            Units = [.. today.Units.Select((u, i) => i == 4 ? u with { Warnings = [new ReportWarning("returnees", "soft.jump", 40, 4)] } : u)],
        };
        var generatedAt = new DateTimeOffset(2026, 11, 26, 16, 30, 0, TimeSpan.Zero);
        var prefecture = Builder().Compose(warned, yesterday, new Dictionary<string, decimal> { ["returnees"] = 1000 }) with { Revision = 1, GeneratedAt = generatedAt };
        var diebu = RollupFixtures.Units.Find("623024")!;
        return name switch
        {
            "prefecture" => prefecture,
            "county" => Builder().Compose(warned.Within(diebu), yesterday.Within(diebu), new Dictionary<string, decimal>()) with { Revision = 1, GeneratedAt = generatedAt },
            "revision 2" => prefecture with
            {
                Revision = 2,
                RevisionChanges = RollupService.Compare(
                    Builder().Compose(Day(Date, Busy(5)), yesterday, new Dictionary<string, decimal>()) with { Revision = 1, GeneratedAt = generatedAt },
                    prefecture),
            },
            "provisional, not generated" => Builder().Compose(warned, yesterday, new Dictionary<string, decimal>(), provisional: true),
            _ => Builder().Compose(Day(Date, None), Day(Date.AddDays(-1), None), new Dictionary<string, decimal>()) with { Revision = 1 },
        };
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void The_streamed_json_file_is_the_serializers_json_byte_for_byte(string name)
    {
        var rollup = Document(name);

        var streamed = new JsonRollupRenderer().Render(rollup).Content;

        var whole = JsonSerializer.SerializeToUtf8Bytes(rollup, FileOptions);
        Assert.Equal(Encoding.UTF8.GetString(whole), Encoding.UTF8.GetString(streamed));
        Assert.Equal(whole, streamed);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task The_json_written_while_its_units_come_is_the_serializers_json_with_the_units_before_the_figures_of_the_whole_day(string name)
    {
        var rollup = Document(name);
        // What a build knows before it reads a county: the date, the areas, provisional, the revision it will make.
        var start = Builder().Compose(DateOnly.Parse(rollup.Date), RollupFixtures.Units.Find(rollup.Scope.Code)!, [], new Dictionary<string, decimal>(), rollup.Provisional)
            with { Revision = rollup.Revision, GeneratedAt = rollup.GeneratedAt };
        var sink = new CountingStream();

        using (var file = new JsonRollupRenderer().Open(sink))
        {
            await file.StartAsync(start, CancellationToken.None);
            // The units county by county, as the counties are read.
            foreach (var county in rollup.Units.GroupBy(u => u.CountyCode))
            {
                await file.UnitsAsync(county, CancellationToken.None);
            }

            await file.EndAsync(rollup, CancellationToken.None);
        }

        var whole = JsonSerializer.SerializeToUtf8Bytes(rollup, FileOptions);
        Assert.Equal(Encoding.UTF8.GetString(whole), Encoding.UTF8.GetString(sink.ToArray()));
        Assert.Equal(0, sink.SynchronousWrites);
        var members = JsonDocument.Parse(sink.ToArray()).RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["date", "revision"], members.Take(2));
        Assert.True(members.IndexOf("units") < members.IndexOf("completeness"), string.Join(", ", members));
        Assert.True(members.IndexOf("provisional") < members.IndexOf("units"), string.Join(", ", members));
        // And it reads back as the document.
        var read = JsonSerializer.Deserialize<RollupDocument>(sink.ToArray(), JsonDefaults.Web)!;
        Assert.Equal(JsonSerializer.Serialize(rollup, JsonDefaults.Web), JsonSerializer.Serialize(read, JsonDefaults.Web));
    }

    [Fact]
    public async Task A_json_file_ended_with_another_start_than_it_was_started_with_is_refused()
    {
        var rollup = Document("prefecture");
        using var file = new JsonRollupRenderer().Open(new CountingStream());
        await file.StartAsync(rollup with { Revision = 1 }, CancellationToken.None);
        await file.UnitsAsync(rollup.Units, CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => file.EndAsync(rollup with { Revision = 2 }, CancellationToken.None).AsTask());
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void The_content_hash_of_units_added_county_by_county_is_the_hash_of_the_whole_document(string name)
    {
        var rollup = Document(name);
        using var hash = new RollupContentHash();

        foreach (var county in rollup.Units.GroupBy(u => u.CountyCode))
        {
            hash.Add(county);
        }

        Assert.Equal(RollupService.Hash(rollup), hash.Finish(rollup with { Units = [] }));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void The_content_hash_is_the_same_for_the_same_content_in_other_objects_and_ignores_revision_time_and_changes(string name)
    {
        var rollup = Document(name);
        // The same content read back from its JSON file: other dictionaries, lists and strings.
        var copy = JsonSerializer.Deserialize<RollupDocument>(JsonSerializer.SerializeToUtf8Bytes(rollup, JsonDefaults.Web), JsonDefaults.Web)!;

        Assert.Matches("^[0-9a-f]{64}$", RollupService.Hash(rollup));
        Assert.Equal(RollupService.Hash(rollup), RollupService.Hash(copy));
        Assert.Equal(RollupService.Hash(rollup), RollupService.Hash(rollup with
        {
            Revision = 7, GeneratedAt = DateTimeOffset.UnixEpoch, RevisionChanges = new RevisionChanges(6, null, [], rollup.Totals, rollup.Totals),
        }));
    }

    [Fact]
    public void Every_property_of_a_unit_is_part_of_the_content_hash()
    {
        Assert.Equal(typeof(UnitRollup).GetProperties().Select(p => p.Name).Order(), RollupContentHash.UnitProperties.Order());
        var rollup = Document("prefecture");
        var unit = rollup.Units.First(u => u.Reported);
        UnitRollup[] changed =
        [
            unit with { Code = unit.Code + "0" }, unit with { Name = unit.Name + "镇" }, unit with { CountyCode = unit.CountyCode + "0" },
            unit with { Reported = false }, unit with { Late = true }, unit with { Revision = unit.Revision + 1 }, unit with { Revision = null },
            unit with { Values = unit.Values.ToDictionary(v => v.Key, v => v.Value + 1) },
            // The same figure written with another scale reads differently in the JSON file.
            unit with { Values = unit.Values.ToDictionary(v => v.Key, v => v.Value * 1.0m) },
            unit with { Values = unit.Values.Skip(1).ToDictionary(v => v.Key, v => v.Value) },
            unit with { Warnings = [new ReportWarning("returnees", "soft.jump", 40, 4)] },
            unit with { Notes = "发热 1 例" }, unit with { ReporterName = "李四" }, unit with { ReporterPhone = "13900000000" },
        ];

        var hashes = changed.Select(u => RollupService.Hash(rollup with { Units = [.. rollup.Units.Select(x => x == unit ? u : x)] })).ToList();

        Assert.Equal(hashes.Count + 1, hashes.Append(RollupService.Hash(rollup)).Distinct().Count());
    }

    [Fact]
    public void A_text_moved_from_one_field_of_a_unit_to_the_next_changes_the_content_hash()
    {
        var rollup = Document("county");
        var unit = rollup.Units.First(u => u.Reported) with { Notes = "张三", ReporterName = null };

        var moved = unit with { Notes = null, ReporterName = "张三" };

        Assert.NotEqual(RollupService.Hash(rollup with { Units = [unit] }), RollupService.Hash(rollup with { Units = [moved] }));
        Assert.NotEqual(RollupService.Hash(rollup with { Units = [unit, unit] }), RollupService.Hash(rollup with { Units = [unit] }));
    }

    [Fact]
    public async Task Json_larger_than_the_writers_buffer_goes_out_in_many_writes_and_reads_back_as_the_document()
    {
        // The prefecture's units four times over: a document several flushes long.
        var prefecture = Document("prefecture");
        var rollup = prefecture with { Units = [.. Enumerable.Repeat(prefecture.Units, 4).SelectMany(u => u)] };
        var sink = new CountingStream();

        await new JsonRollupRenderer().WriteAsync(rollup, sink, CancellationToken.None);

        var expected = JsonSerializer.SerializeToUtf8Bytes(rollup, FileOptions);
        Assert.True(expected.Length > 64 * 1024, "the fixture should be larger than one flush");
        Assert.True(sink.Writes > 1, $"{sink.Writes} writes");
        Assert.Equal(0, sink.SynchronousWrites);
        Assert.Equal(expected, sink.ToArray());
    }

    [Fact]
    public void Compact_values_read_enumerate_and_serialise_as_the_dictionary_in_catalogue_order()
    {
        var slots = new IndicatorSlots(RollupFixtures.Catalogue);
        var given = new Dictionary<string, decimal> { ["personsChecked"] = 250, ["returnees"] = 1.50m, ["notAnIndicator"] = 3, ["homeQuarantine"] = 0 };

        var compact = slots.Compact(given);

        var ordered = Reader.InCatalogueOrder(given);
        Assert.Equal(ordered.Keys, compact.Keys);
        Assert.Equal(ordered.Values, compact.Values);
        Assert.Equal(3, compact.Count);
        Assert.True(compact.TryGetValue("returnees", out var returnees));
        Assert.Equal("1.50", returnees.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(compact.ContainsKey("notAnIndicator"));
        Assert.False(compact.ContainsKey("fromHubei"));
        Assert.Throws<KeyNotFoundException>(() => compact["fromHubei"]);
        Assert.Equal(JsonSerializer.Serialize(ordered, JsonDefaults.Web), JsonSerializer.Serialize<IReadOnlyDictionary<string, decimal>>(compact, JsonDefaults.Web));
        Assert.Same(slots.Empty, slots.Compact(new Dictionary<string, decimal>()));
    }

    [Fact]
    public void Sums_keep_an_indicator_nobody_reported_absent_and_add_changes_like_for_like()
    {
        var slots = new IndicatorSlots(RollupFixtures.Catalogue);
        var county = new IndicatorSums(slots);
        county.Add(slots.Compact(new Dictionary<string, decimal> { ["returnees"] = 2, ["donatedCashYuan"] = 1.5m }));
        county.Add(new Dictionary<string, decimal> { ["returnees"] = 3, ["homeQuarantine"] = 0 });
        var changes = new IndicatorSums(slots);
        changes.AddChange(new Dictionary<string, decimal> { ["returnees"] = 5, ["homeQuarantine"] = 1 }, new Dictionary<string, decimal> { ["returnees"] = 7 });
        var area = new IndicatorSums(slots);
        area.Add(county);
        area.Add(county);

        Assert.Equal(new Dictionary<string, decimal> { ["returnees"] = 10, ["homeQuarantine"] = 0, ["donatedCashYuan"] = 3.0m }, area.Sums);
        Assert.Equal(new Dictionary<string, int> { ["returnees"] = 4, ["homeQuarantine"] = 2, ["donatedCashYuan"] = 2 }, area.Counts);
        Assert.Equal(new Dictionary<string, decimal> { ["returnees"] = -2 }, changes.Sums);
        Assert.Equal(new Dictionary<string, int> { ["returnees"] = 1 }, changes.Counts);
    }

    /// <summary>Keeps what is written and counts the writes; a synchronous write would block a thread on the storage.</summary>
    private sealed class CountingStream : Stream
    {
        private readonly MemoryStream kept = new();

        public int Writes { get; private set; }

        public int SynchronousWrites { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => kept.Length;

        public override long Position { get => kept.Length; set => throw new NotSupportedException(); }

        public byte[] ToArray() => kept.ToArray();

        public override void Write(byte[] buffer, int offset, int count)
        {
            SynchronousWrites++;
            kept.Write(buffer, offset, count);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            kept.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
