using Pipeline.Azurite;

namespace Pipeline.Testing;

/// <summary>One private Azurite shared by the tests of the "Azurite" collection.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private readonly AzuriteProcess azurite = new(RepositoryRoot.Path);

    public string ConnectionString => azurite.ConnectionString;

    public int BlobPort => azurite.BlobPort;

    public int QueuePort => azurite.QueuePort;

    public int TablePort => azurite.TablePort;

    public Task InitializeAsync() => azurite.StartNewAsync();

    public Task StartAsync() => azurite.StartAsync();

    public Task StopAsync() => azurite.StopAsync();

    public async Task DisposeAsync() => await azurite.DisposeAsync();

    public static int FreePort() => AzuriteProcess.FreePort();
}
