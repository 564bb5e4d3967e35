using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Tests.Rollups;

/// <summary>Serial: the read's bytes are counted for the whole process, and its county read runs on pool threads.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}

/// <summary>
/// What reading a county's rows costs a rollup, the table client's parse included, over one page of 1,000 rows as the
/// storage sends them without metadata (a canned response: the bytes are the point, not the storage).
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class DayReaderCostTests
{
    private const int Townships = 1000;
    private const string County = "620101";
    private static readonly DateOnly Day = new(2026, 11, 27);

    [Fact]
    public async Task Reading_a_countys_rows_allocates_the_clients_parse_and_the_units_kept_and_little_beside_them()
    {
        var catalogue = IndicatorCatalogue.LoadEmbedded();
        var registry = Registry();
        var reader = new DayReader(Store(catalogue, registry, Page()), registry, catalogue);
        var county = registry.Find(County)!;

        var reading = Assert.Single(await reader.ReadCountiesAsync(Day, county, withPreviousDay: false, default));
        Assert.Equal(Townships, reading.County.Reported);
        var unit = reading.Units[7];
        Assert.Equal((true, 2, "第7行"), (unit.Late, unit.Revision, unit.Notes));
        Assert.Equal(10m + 7 % 7, unit.Values["returnees"]);
        Assert.Equal(1500.5m, unit.Values["donatedCashYuan"]);
        Assert.Equal(12, unit.Values.Count);

        // The least of five reads: the count is the whole process's, and whatever else runs meanwhile only adds to a round.
        var perRow = long.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            await reader.ReadCountiesAsync(Day, county, withPreviousDay: false, default);
            perRow = Math.Min(perRow, (GC.GetTotalAllocatedBytes(precise: true) - before) / Townships);
        }

        // The client's parse is most of it: its dictionary of about 20 properties a row, with a new string for every name
        // and value. Beside it the unit kept (its compact values, about 0.3 KB). Before: the response buffered whole
        // (1 KB a row, in arrays on the large-object heap), a TableEntity copying the client's dictionary into one more, the
        // mapper's dictionary of the values and its report, and the unit, day and number as three properties of their own
        // beside the row's key: 9,095 bytes a row in all.
        Assert.InRange(perRow, 0, 5_000);
    }

    private static UnitRegistry Registry()
    {
        var root = new AdminUnit("620000", "合成省", "Synthetic", UnitLevel.Prefecture, null);
        var county = new AdminUnit(County, "合成县", "County", UnitLevel.County, root.Code);
        return new UnitRegistry([root, county, .. Enumerable.Range(0, Townships)
            .Select(t => new AdminUnit($"{County}{t:D3}", $"合成乡{t}", $"Township {t}", UnitLevel.Township, County))]);
    }

    /// <summary>The county's day as the storage answers the rollup's query without metadata: one row per township.</summary>
    private static byte[] Page()
    {
        var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("value");
            for (var t = 0; t < Townships; t++)
            {
                writer.WriteStartObject();
                writer.WriteString("RowKey", ReportKeys.RevisionRow(Day, $"{County}{t:D3}", 1 + t % 2));
                writer.WriteBoolean("late", t % 7 == 0);
                writer.WriteString("warnings", "[]");
                writer.WriteString("notes", t % 7 == 0 ? $"第{t}行" : "");
                writer.WriteString("reporterName", "卓玛");
                writer.WriteString("reporterPhone", "13800138000");
                foreach (var (key, value) in new Dictionary<string, decimal>
                {
                    ["returnees"] = 10 + t % 7, ["fromEpidemicAreas"] = 3, ["fromHubei"] = 1, ["homeQuarantine"] = 5,
                    ["feverReferred"] = t % 2, ["temperatureChecks"] = 100 + t % 50, ["vehiclesChecked"] = 20, ["personsChecked"] = 40,
                    ["householdsSurveyed"] = 30, ["personsSurveyed"] = 90, ["volunteersOnDuty"] = 12,
                })
                {
                    // An Int64 without metadata is its decimal text.
                    writer.WriteString("v_" + key, value.ToString(CultureInfo.InvariantCulture));
                }

                writer.WriteNumber("v_donatedCashYuan", 1500.5);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return json.ToArray();
    }

    private static ReportStore Store(IndicatorCatalogue catalogue, UnitRegistry registry, byte[] page)
    {
        var options = StorageClientFactory.RollupReadOptions();
        options.Transport = new HttpClientTransport(new HttpClient(new CannedPage(page)));
        var tables = new TableServiceClient(new Uri("http://127.0.0.1:9/devstoreaccount1"),
            new TableSharedKeyCredential("devstoreaccount1", Convert.ToBase64String(new byte[64])), options);
        var clients = new StorageClients(tables, new BlobServiceClient("UseDevelopmentStorage=true"), new QueueServiceClient("UseDevelopmentStorage=true"), false);
        return new ReportStore(new StorageTables(clients), new ReportEntityMapper(new ReportShape(catalogue)), new UnitStateMapper(catalogue), registry);
    }

    /// <summary>Answers every request with the page, whole, and no continuation, as a connection's stream (forward only).</summary>
    private sealed class CannedPage(byte[] page) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
            {
                Content = new StreamContent(new ForwardOnly(page)) { Headers = { { "Content-Type", "application/json;odata=nometadata;streaming=true;charset=utf-8" } } },
            });
    }

    private sealed class ForwardOnly(byte[] bytes) : Stream
    {
        private int position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            // A connection's reads: at most 16 KiB at a time.
            var n = Math.Min(Math.Min(buffer.Length, 16 * 1024), bytes.Length - position);
            bytes.AsSpan(position, n).CopyTo(buffer);
            position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
