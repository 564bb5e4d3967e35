using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Pipeline.Reporting.Units;

namespace Pipeline.Benchmarks;

/// <summary>
/// County-upload-shaped batches through the queue: <c>POST /api/reports/batch</c> (CSV, one row per township of
/// one day) to the local host, whose queue function stores the rows, until the batch is completed; then
/// <c>GET /api/batches/{id}</c> must show every row accepted. The wait polls the batch's status row in the
/// <c>batches</c> table (one point read) rather than the GET, which counts every row result each time: at 10,000
/// rows, polling it would take a large share of Azurite's one thread from the batch being measured. When that row
/// is not where it was (the layout changed), the wait falls back to the GET, less often.
/// </summary>
public sealed class BatchIngest(HttpClient client, TableServiceClient tables)
{
    /// <summary>At most this many rows in one batch (the API's limit).</summary>
    public const int MaxRows = 10_000;

    /// <summary>
    /// How often the batch's status row is read: the measured time overshoots the completion by up to this much (half of
    /// it on average), so it is short; a point read is cheap even in Azurite (about 20 a second beside ~100 transactions).
    /// </summary>
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan PollGetEvery = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly TableClient batches = tables.GetTableClient("batches");

    /// <summary>One batch of the townships' reports of <paramref name="date"/>, timed from the POST to completed.</summary>
    public async Task<Measurement> RunAsync(IReadOnlyList<AdminUnit> townships, DateOnly date)
    {
        var clock = Stopwatch.StartNew();
        await StoreAsync(townships, date);
        clock.Stop();
        return new Measurement($"batch of {townships.Count} rows through the queue", townships.Count, clock.Elapsed, 0, 0);
    }

    /// <summary>Stores the townships' reports of <paramref name="date"/> in batches of at most <see cref="MaxRows"/>, one after another.</summary>
    public async Task StoreAsync(IReadOnlyList<AdminUnit> townships, DateOnly date)
    {
        foreach (var chunk in townships.Chunk(MaxRows))
        {
            var (batchId, statusUrl) = await SubmitAsync(SyntheticDay.Csv(chunk, date));
            await WaitAsync(batchId, statusUrl, chunk.Length);
        }
    }

    private async Task<(string BatchId, string StatusUrl)> SubmitAsync(byte[] csv)
    {
        using var content = new ByteArrayContent(csv);
        content.Headers.ContentType = new("text/csv");
        using var accepted = await client.PostAsync("api/reports/batch", content);
        if ((int)accepted.StatusCode != 202)
        {
            throw new InvalidOperationException($"The batch was answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");
        }

        var body = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("batchId").GetString()!, body.GetProperty("statusUrl").GetString()!.TrimStart('/'));
    }

    private async Task WaitAsync(string batchId, string statusUrl, int rows)
    {
        var deadline = Stopwatch.StartNew();
        var byStatusRow = await StatusRowAsync(batchId) is not null;
        while ((byStatusRow ? await StatusRowAsync(batchId) : await StatusAsync(statusUrl)) is not "completed")
        {
            if (deadline.Elapsed > Timeout)
            {
                throw new TimeoutException($"Batch {batchId} was not completed within {Timeout}.");
            }

            await Task.Delay(byStatusRow ? PollEvery : PollGetEvery);
        }

        var status = await client.GetFromJsonAsync<JsonElement>(statusUrl);
        var stored = status.GetProperty("accepted").GetInt32();
        if (stored != rows || status.GetProperty("status").GetString() != "completed")
        {
            throw new InvalidOperationException($"Only {stored} of {rows} rows were accepted: {status}");
        }
    }

    /// <summary>The status the batch's own row holds, lower case; null when there is no such row.</summary>
    private async Task<string?> StatusRowAsync(string batchId)
    {
        var row = await batches.GetEntityIfExistsAsync<TableEntity>(batchId, "batch", ["status"]);
        return row.HasValue ? row.Value!.GetString("status")?.ToLowerInvariant() : null;
    }

    private async Task<string?> StatusAsync(string statusUrl) =>
        (await client.GetFromJsonAsync<JsonElement>(statusUrl)).GetProperty("status").GetString();
}
