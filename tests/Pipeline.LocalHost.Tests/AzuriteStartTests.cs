using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Pipeline.Azurite;
using Pipeline.Testing;

namespace Pipeline.LocalHost.Tests;

/// <summary>
/// Starting a private Azurite when a port found free is taken before Azurite binds it: by a listener, or as the local
/// port of one of the many outgoing connections the test run makes (both come from the same range). clean-ci saw it
/// once: "Azurite exited with code 1." at a fixture's start.
/// </summary>
public sealed class AzuriteStartTests
{
    [Fact]
    public async Task A_port_taken_before_Azurite_binds_it_is_replaced_by_a_free_one_and_Azurite_answers()
    {
        await using var azurite = new AzuriteProcess(RepositoryRoot.Path) { InMemory = true };
        var taken = azurite.TablePort;
        using var squatter = new TcpListener(IPAddress.Loopback, taken);
        squatter.Start();

        await azurite.StartNewAsync();

        Assert.NotEqual(taken, azurite.TablePort);
        var tables = new TableServiceClient(azurite.ConnectionString);
        await tables.CreateTableIfNotExistsAsync("probe");
        Assert.Contains(tables.Query().ToList(), t => t.Name == "probe");
    }
}
