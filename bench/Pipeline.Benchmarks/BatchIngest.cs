using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Units;

namespace Pipeline.Benchmarks;

/// <summary>
/// One county-upload-shaped batch through the queue: <c>POST /api/reports/batch</c> (CSV, one row per township
/// of one day) to the local host, whose queue function stores the rows, until the batch is completed; then
/// <c>GET /api/batches/{id}</c> must show every row accepted. The wait polls the batch's status row (one point read)
/// rather than the GET, which reads every row result each time: at 10,000 rows, polling it every second would
/// take a large share of Azurite's one thread from the batch being measured.
/// </summary>
public sealed class BatchIngest(HttpClient client, UnitRegistry units, BatchStore batches)
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(250);

    public async Task<Measurement> RunAsync(DateOnly date, int rows)
    {
        var csv = Csv(date, rows);
        var clock = Stopwatch.StartNew();
        using var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new("text/csv");
        var accepted = await client.PostAsync("api/reports/batch", content);
        if ((int)accepted.StatusCode != 202)
        {
            throw new InvalidOperationException($"The batch was answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");
        }

        var body = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        var acceptedAfter = clock.Elapsed;
        var batchId = body.GetProperty("batchId").GetString()!;
        while ((await batches.GetAsync(batchId, CancellationToken.None))?.Status != BatchStatus.Completed)
        {
            await Task.Delay(PollEvery);
        }

        clock.Stop();
        var status = await client.GetFromJsonAsync<JsonElement>(body.GetProperty("statusUrl").GetString()!.TrimStart('/'));
        var stored = status.GetProperty("accepted").GetInt32();
        return stored == rows && status.GetProperty("status").GetString() == "completed"
            ? new Measurement($"batch of {rows} rows through the queue (202 after {acceptedAfter.TotalSeconds:F1} s)", rows, clock.Elapsed, 0, 0)
            : throw new InvalidOperationException($"Only {stored} of {rows} rows were accepted: {status.GetProperty("results")[0]}");
    }

    /// <summary>One row per township (the first <paramref name="rows"/>), as a county's spreadsheet export would have it.</summary>
    private byte[] Csv(DateOnly date, int rows)
    {
        if (units.Townships.Count < rows)
        {
            throw new InvalidOperationException($"The registry has {units.Townships.Count} townships, fewer than {rows} rows.");
        }

        var keys = SyntheticDay.Values(0).Keys.ToList();
        var text = new StringBuilder("unitCode,reportDate,").AppendJoin(',', keys).Append("\r\n");
        for (var i = 0; i < rows; i++)
        {
            var values = SyntheticDay.Values(i);
            text.Append(units.Townships[i].Code).Append(',').Append(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            foreach (var key in keys)
            {
                text.Append(',').Append(values[key].ToString(CultureInfo.InvariantCulture));
            }

            text.Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
