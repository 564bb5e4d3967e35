using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Pipeline.Testing;
using static Pipeline.Functions.Tests.Submissions.StateCacheReports;

namespace Pipeline.Functions.Tests.Reliability;

/// <summary>
/// Two instances of the app on one storage, each with its own cache of units' state rows: each one's copy goes stale
/// whenever the other writes, and the ETag in the write refuses it. No revision is lost or doubled, numbers stay
/// consecutive, a replay stays a replay, and a correction is never mistaken for one; nor when storage fails mid-write.
/// </summary>
public sealed class TwoInstanceTests(AzuriteFixture azurite) : HostedTests(azurite), IClassFixture<AzuriteFixture>
{
    private readonly StorageRequestCounter firstRequests = new(azurite.TablePort);

    /// <summary>The first instance is the class's host, its table requests counted; a test starts the other instances it needs.</summary>
    protected override void Configure(WebApplicationBuilder builder) => firstRequests.Install(builder);

    [Fact]
    public async Task Writers_on_two_instances_find_their_copies_stale_read_again_and_take_the_next_number()
    {
        const string unit = "623023108";
        await using var second = await PipelineHost.StartAsync(Azurite.ConnectionString);
        using var one = Host.AdminClient();
        using var two = second.AdminClient();
        Assert.Equal(1, await RevisionOfAsync(await one.PostAsync(Reports.WithReturnees(unit, 1, "two-1"))));
        Assert.Equal(2, await RevisionOfAsync(await two.PostAsync(Reports.WithReturnees(unit, 2, "two-2"))));
        firstRequests.Take();

        // The first instance's copy is of revision 1: the write is refused, the row read, the write made again.
        Assert.Equal(3, await RevisionOfAsync(await one.PostAsync(Reports.WithReturnees(unit, 3, "two-3"))));
        Assert.Equal([Transaction, StateRead(unit), Transaction], firstRequests.Take());
        Assert.Equal(4, await RevisionOfAsync(await two.PostAsync(Reports.WithReturnees(unit, 4, "two-4"))));

        // Then both at once, four writers on each.
        var acknowledged = await Task.WhenAll(Enumerable.Range(0, 8).Select(async writer =>
        {
            var client = writer % 2 == 0 ? one : two;
            var mine = new List<(int Revision, int Returnees)>();
            for (var k = 0; k < 3; k++)
            {
                var returnees = 100 + writer * 10 + k;
                mine.Add((await RevisionOfAsync(await client.PostAsync(Reports.WithReturnees(unit, returnees, $"two-{returnees}"))), returnees));
            }

            return mine;
        }));

        var stored = await StoredAsync(one, unit);
        Assert.Equal(Enumerable.Range(1, 4 + 24), stored.Select(s => s.Revision));
        Assert.Equal([1, 2, 3, 4], stored.Take(4).Select(s => s.Returnees));
        Assert.Equal(acknowledged.SelectMany(a => a).OrderBy(a => a.Revision), stored.Skip(4));
    }

    [Fact]
    public async Task A_stale_copy_never_passes_a_correction_off_as_a_replay_and_a_replay_on_either_instance_stays_one()
    {
        const string unit = "623023109";
        await using var second = await PipelineHost.StartAsync(Azurite.ConnectionString);
        using var one = Host.AdminClient();
        using var two = second.AdminClient();
        Assert.Equal(1, await RevisionOfAsync(await one.PostAsync(Reports.WithReturnees(unit, 10, "stale-1"))));
        Assert.Equal(2, await RevisionOfAsync(await two.PostAsync(Reports.WithReturnees(unit, 20, "stale-2"))));

        // The first instance still holds revision 1 (10) as the newest: 10 again is a correction back, not a replay of it.
        var back = await one.PostAsync(Reports.WithReturnees(unit, 10, "stale-3"));
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(3, await RevisionOfAsync(back));

        // A phone retrying its submission on the other instance, and again on the first: one revision.
        Assert.Equal(4, await RevisionOfAsync(await two.PostAsync(Reports.WithReturnees(unit, 40, "stale-4"))));
        Assert.Equal(4, await RevisionOfAsync(await one.PostAsync(Reports.WithReturnees(unit, 40, "stale-4"))));
        Assert.Equal(4, await RevisionOfAsync(await two.PostAsync(Reports.WithReturnees(unit, 40, "stale-4"))));
        Assert.Equal(1, await RevisionOfAsync(await two.PostAsync(Reports.WithReturnees(unit, 10, "stale-1"))));
        Assert.Equal(3, await RevisionOfAsync(await one.PostAsync(Reports.WithReturnees(unit, 10, "stale-3"))));

        Assert.Equal([(1, 10), (2, 20), (3, 10), (4, 40)], await StoredAsync(two, unit));
        var current = await one.GetFromJsonAsync<JsonElement>($"api/reports/{Reports.Today}/{unit}");
        Assert.Equal(4, current.GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task A_write_storage_made_but_never_answered_or_refused_outright_is_stored_once_when_the_phone_sends_it_again()
    {
        const string unit = "623023110";
        var faults = new StorageFaultPolicy();
        await using var faulty = await PipelineHost.StartAsync(Azurite.ConnectionString, configure: faults.Install);
        using var client = faulty.AdminClient();
        using var other = Host.AdminClient();
        Assert.Equal(1, await RevisionOfAsync(await client.PostAsync(Reports.WithReturnees(unit, 1, "lost-1"))));

        // The transaction is carried out, its answer lost: 503, and the phone sends the same report again.
        faults.LoseAnswer = request => request.IsTransaction;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.PostAsync(Reports.WithReturnees(unit, 2, "lost-2"))).StatusCode);
        faults.LoseAnswer = null;
        var again = await client.PostAsync(Reports.WithReturnees(unit, 2, "lost-2"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(2, await RevisionOfAsync(again));
        Assert.Equal(2, await RevisionOfAsync(await other.PostAsync(Reports.WithReturnees(unit, 2, "lost-2"))));

        // Storage refuses the transaction outright (nothing written): 503, and the report sent again is stored once.
        faults.Refuse = request => request.IsTransaction;
        faults.RefuseStatus = 503;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.PostAsync(Reports.WithReturnees(unit, 3, "lost-3"))).StatusCode);
        faults.Refuse = null;
        Assert.Equal(3, await RevisionOfAsync(await client.PostAsync(Reports.WithReturnees(unit, 3, "lost-3"))));
        Assert.Equal(4, await RevisionOfAsync(await client.PostAsync(Reports.WithReturnees(unit, 4, "lost-4"))));

        Assert.Equal([(1, 1), (2, 2), (3, 3), (4, 4)], await StoredAsync(client, unit));
    }
}
