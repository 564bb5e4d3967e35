using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Pipeline.Reporting.Units;
using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Reliability;

/// <summary>
/// Batches submitted just before storage goes down, for <see cref="LoadAndFaultTests"/>: the sample county CSV
/// (102 rows, five invalid on purpose) and generated CSV and JSON batches. After the restart every batch must
/// complete, every row must have its result, and every accepted row's revision must be in storage with the
/// values the row carried (read back through the revisions endpoint).
/// </summary>
internal sealed class OutageBatches
{
    private const string SamplePath = "samples/batch-102-townships.csv";
    private const string SampleDate = "2026-11-28";
    private const int GeneratedRows = 100;

    /// <summary>The sample's rows that are invalid on purpose (README: five of them); every other row must be stored.</summary>
    private const int SampleInvalidRows = 5;

    private static readonly string[] Indicators = ["returnees", "fromEpidemicAreas", "fromHubei", "homeQuarantine", "feverReferred"];

    private readonly List<SubmittedBatch> submitted = [];

    private OutageBatches()
    {
    }

    /// <summary>One row as submitted, its values as numbers.</summary>
    private sealed record SubmittedRow(int Row, string UnitCode, string Date, IReadOnlyDictionary<string, decimal> Values);

    private sealed record SubmittedBatch(string Name, string BatchId, string StatusUrl, IReadOnlyList<SubmittedRow> Rows, int ExpectedRejected);

    public int Count => submitted.Count;

    public int Rows => submitted.Sum(b => b.Rows.Count);

    /// <summary>Submits <paramref name="count"/> batches at once (the sample first, then generated CSV and JSON in turn); each must get 202.</summary>
    public static async Task<OutageBatches> SubmitAsync(HttpClient client, IReadOnlyList<AdminUnit> townships, string[] dates, int count, int seed)
    {
        var random = new Random(seed);
        var planned = Enumerable.Range(0, count).Select(i => i switch
        {
            0 => Sample(dates[1]),
            _ when i % 2 == 1 => Generated($"generated csv {i}", csv: true, townships, dates, random),
            _ => Generated($"generated json {i}", csv: false, townships, dates, random),
        }).ToList();

        var batches = new OutageBatches();
        var accepted = await Task.WhenAll(planned.Select(async plan =>
        {
            using var content = new ByteArrayContent(plan.Body);
            content.Headers.TryAddWithoutValidation("Content-Type", plan.ContentType);
            using var response = await client.PostAsync("api/reports/batch", content);
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{plan.Name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(plan.Rows.Count, body.GetProperty("rows").GetInt32());
            return new SubmittedBatch(plan.Name, body.GetProperty("batchId").GetString()!, body.GetProperty("statusUrl").GetString()!.TrimStart('/'), plan.Rows, plan.ExpectedRejected);
        }));
        batches.submitted.AddRange(accepted);
        return batches;
    }

    /// <summary>Waits (a few seconds at most) until the worker has started on a batch, so that storage stops with rows half done.</summary>
    public async Task WaitUntilStartedAsync(HttpClient client)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(10) && (await StatusesAsync(client)).All(s => s == "queued"))
        {
            await Task.Delay(50);
        }
    }

    /// <summary>Each batch's status now: queued, processing or completed (or the HTTP status when storage does not answer).</summary>
    public async Task<IReadOnlyList<string>> StatusesAsync(HttpClient client)
    {
        var statuses = new List<string>();
        foreach (var batch in submitted)
        {
            using var response = await client.GetAsync(batch.StatusUrl);
            statuses.Add(response.StatusCode == HttpStatusCode.OK
                ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()!
                : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
        }

        return statuses;
    }

    /// <summary>Waits for every batch to complete and checks each row's result against storage; returns the accepted row count.</summary>
    public async Task<int> VerifyAsync(HttpClient client, TimeSpan timeout)
    {
        var acceptedRows = 0;
        var watch = Stopwatch.StartNew();
        foreach (var batch in submitted)
        {
            var status = await WaitForCompletionAsync(client, batch, timeout - watch.Elapsed);
            Assert.Equal(batch.Rows.Count, status.GetProperty("total").GetInt32());
            Assert.Equal(0, status.GetProperty("notProcessed").GetInt32());
            Assert.Equal(batch.ExpectedRejected, status.GetProperty("rejected").GetInt32());
            Assert.Equal(batch.Rows.Count - batch.ExpectedRejected, status.GetProperty("accepted").GetInt32());
            var results = status.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("row").GetInt32());
            Assert.Equal(batch.Rows.Select(r => r.Row).Order(), results.Keys.Order());
            foreach (var row in batch.Rows)
            {
                var result = results[row.Row];
                var outcome = result.GetProperty("outcome").GetString();
                if (outcome == "rejected")
                {
                    continue; // counted above: only the sample's invalid rows
                }

                Assert.True(outcome is "created" or "updated" or "unchanged", $"{batch.Name} row {row.Row}: {result}");
                var revision = result.GetProperty("revision").GetInt32();
                var revisions = await client.GetFromJsonAsync<JsonElement>($"api/reports/{row.Date}/{row.UnitCode}/revisions");
                var stored = revisions.EnumerateArray().SingleOrDefault(r => r.GetProperty("revision").GetInt32() == revision);
                Assert.True(stored.ValueKind == JsonValueKind.Object, $"{batch.Name} row {row.Row}: revision {revision} of {row.UnitCode} {row.Date} is not stored");
                var values = stored.GetProperty("values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDecimal());
                Assert.Equal(row.Values, values);
                acceptedRows++;
            }
        }

        return acceptedRows;
    }

    private static async Task<JsonElement> WaitForCompletionAsync(HttpClient client, SubmittedBatch batch, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            using var response = await client.GetAsync(batch.StatusUrl);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                var status = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (status.GetProperty("status").GetString() == "completed")
                {
                    return status;
                }

                Assert.True(watch.Elapsed < timeout, $"{batch.Name} ({batch.BatchId}) is still {status.GetProperty("status")} after the restart, with {status.GetProperty("results").GetArrayLength()} of {batch.Rows.Count} rows done");
            }
            else
            {
                Assert.True(watch.Elapsed < timeout, $"{batch.Name}: status answered {(int)response.StatusCode}");
            }

            await Task.Delay(250);
        }
    }

    private sealed record Plan(string Name, string ContentType, byte[] Body, IReadOnlyList<SubmittedRow> Rows, int ExpectedRejected);

    /// <summary>The county sample with its day moved into the correction window.</summary>
    private static Plan Sample(string date)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot.Path, SamplePath), Encoding.UTF8).Replace(SampleDate, date, StringComparison.Ordinal);
        var rows = new List<SubmittedRow>();
        using (var csv = new CsvReader(new StringReader(text), CultureInfo.InvariantCulture))
        {
            csv.Read();
            csv.ReadHeader();
            var indicators = csv.HeaderRecord!.Where(h => h is not ("unitCode" or "reportDate" or "notes")).ToList();
            while (csv.Read())
            {
                var values = new Dictionary<string, decimal>();
                foreach (var key in indicators)
                {
                    var cell = csv.GetField(key)!;
                    // A cell that is not a number (one of the invalid rows) is left out: that row must be rejected.
                    if (decimal.TryParse(cell, NumberStyles.AllowThousands | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
                    {
                        values[key] = number;
                    }
                }

                // Results number CSV rows by their file line (the sample's records are one line each).
                rows.Add(new SubmittedRow(csv.Parser.RawRow, csv.GetField("unitCode")!, csv.GetField("reportDate")!, values));
            }
        }

        return new Plan("sample csv", "text/csv", Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray(), rows, SampleInvalidRows);
    }

    private static Plan Generated(string name, bool csv, IReadOnlyList<AdminUnit> townships, string[] dates, Random random)
    {
        var units = townships.OrderBy(_ => random.Next()).Take(GeneratedRows).ToList();
        var rows = units.Select((unit, i) =>
        {
            var values = new Dictionary<string, decimal>
            {
                ["returnees"] = random.Next(10, 1000),
                ["fromEpidemicAreas"] = random.Next(0, 10),
                ["fromHubei"] = 0,
                ["homeQuarantine"] = random.Next(0, 20),
                ["feverReferred"] = random.Next(0, 3),
            };
            return new SubmittedRow(i + 1, unit.Code, dates[random.Next(dates.Length)], values);
        }).ToList();

        if (csv)
        {
            var text = new StringBuilder("unitCode,reportDate," + string.Join(",", Indicators) + ",notes\r\n");
            foreach (var row in rows)
            {
                text.Append(CultureInfo.InvariantCulture, $"{row.UnitCode},{row.Date},{string.Join(",", Indicators.Select(k => row.Values[k]))},\"{name}, row {row.Row}\"\"\r\nacross the outage\"\r\n");
            }

            // Results number CSV rows by their file line: the header is line 1 and each record spans two lines.
            return new Plan(name, "text/csv", Encoding.UTF8.GetBytes(text.ToString()), rows.Select((r, i) => r with { Row = 2 + (2 * i) }).ToList(), 0);
        }

        var reports = rows.Select(r => Reports.Valid(unit: r.UnitCode, date: r.Date, values: r.Values.ToDictionary(v => v.Key, v => (object?)v.Value)));
        return new Plan(name, "application/json", JsonSerializer.SerializeToUtf8Bytes(reports), rows, 0);
    }
}
