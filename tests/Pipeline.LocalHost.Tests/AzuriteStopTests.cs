using Azure.Data.Tables;
using Pipeline.Azurite;
using Pipeline.Testing;

namespace Pipeline.LocalHost.Tests;

/// <summary>
/// Stopping a private Azurite: it should close on its interrupt, as it does when nothing holds it, not be killed after
/// the grace period (every test fixture and every outage test stops one).
/// </summary>
public sealed class AzuriteStopTests
{
    [Fact]
    public async Task Azurite_that_answered_requests_exits_on_its_interrupt_without_being_killed()
    {
        await using var azurite = new AzuriteProcess(RepositoryRoot.Path);
        await azurite.StartNewAsync();
        var tables = new TableServiceClient(azurite.ConnectionString);
        await tables.CreateTableIfNotExistsAsync("probe");

        await azurite.StopAsync();

        Assert.Equal(AzuriteStop.ExitedOnInterrupt, azurite.LastStop);
    }
}
