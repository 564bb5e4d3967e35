using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Storage;
using Pipeline.Testing;

namespace Pipeline.Reporting.Tests.Access;

/// <summary>The token cache against Azurite, with a storage pipeline policy that counts (and can hold) token reads.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TokenStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly TokenReads reads = new();
    private readonly FakeTimeProvider time = new(PipelineHost.DefaultNow);
    private TokenStore tokens = null!;

    public async Task InitializeAsync()
    {
        var options = new TableClientOptions();
        options.AddPolicy(reads, HttpPipelinePosition.PerCall);
        var clients = new StorageClients(
            new TableServiceClient(azurite.ConnectionString, options),
            new BlobServiceClient(azurite.ConnectionString),
            new QueueServiceClient(azurite.ConnectionString),
            UsesManagedIdentity: false);
        var tables = new StorageTables(clients);
        await tables.Tokens.CreateIfNotExistsAsync();
        tokens = new TokenStore(tables, time);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_unknown_token_costs_one_storage_read_for_a_short_while_then_is_looked_up_again()
    {
        var junk = "pt_" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8]) + "_junk";
        for (var i = 0; i < 20; i++)
        {
            Assert.Null(await tokens.FindAsync(junk, default));
        }

        Assert.Equal(1, reads.Count);

        time.Advance(TokenStore.UnknownCacheFor + TimeSpan.FromSeconds(1));
        Assert.Null(await tokens.FindAsync(junk, default));
        Assert.Equal(2, reads.Count);
    }

    [Fact]
    public async Task Unknown_tokens_do_not_grow_the_cache_without_bound()
    {
        for (var i = 0; i < TokenCache.MaxEntries + 50; i++)
        {
            await tokens.FindAsync($"pt_{i:x16}_junk", default);
        }

        Assert.True(tokens.CachedCount <= TokenCache.MaxEntries, $"{tokens.CachedCount} entries cached");
    }

    [Fact]
    public async Task A_lookup_in_flight_during_a_revocation_does_not_cache_the_revoked_token()
    {
        var issued = await tokens.IssueAsync(Role.Reporter, "623024100", "race", default);

        // The lookup's read returns the token, then waits; meanwhile the token is revoked on this instance.
        reads.HoldNextResponse();
        var lookup = tokens.FindAsync(issued.Token, default);
        await reads.Held;
        Assert.True(await tokens.RevokeAsync(issued.Id, default));
        reads.Release();
        await lookup;

        Assert.Null(await tokens.FindAsync(issued.Token, default));
    }

    [Fact]
    public async Task A_known_token_is_read_once_and_a_revoked_one_stops_at_once()
    {
        var issued = await tokens.IssueAsync(Role.Official, "623024", "cached", default);
        Assert.Equal(Role.Official, (await tokens.FindAsync(issued.Token, default))!.Role);
        var before = reads.Count;
        Assert.NotNull(await tokens.FindAsync(issued.Token, default));
        Assert.Equal(before, reads.Count);

        Assert.True(await tokens.RevokeAsync(issued.Id, default));
        Assert.Null(await tokens.FindAsync(issued.Token, default));
        Assert.Equal(TokenStanding.Revoked, await tokens.GetStandingAsync(issued.Id, default));
    }

    [Fact]
    public async Task An_expired_token_is_refused_and_its_standing_says_expired()
    {
        var issued = await tokens.IssueAsync(Role.Reporter, "623024101", "expiring", default);
        Assert.Equal(TokenStanding.Active, await tokens.GetStandingAsync(issued.Id, default));
        await MarkExpiringAsync(issued.Id, time.GetUtcNow() + TimeSpan.FromSeconds(5));

        Assert.NotNull(await tokens.FindAsync(issued.Token, default));
        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Null(await tokens.FindAsync(issued.Token, default));
        Assert.Equal(TokenStanding.Expired, await tokens.GetStandingAsync(issued.Id, default));
    }

    private async Task MarkExpiringAsync(string id, DateTimeOffset expiresAt)
    {
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient("tokens");
        await table.UpdateEntityAsync(new TableEntity("token", id) { ["expiresAt"] = expiresAt }, Azure.ETag.All, TableUpdateMode.Merge);
    }

    /// <summary>Counts point reads of the tokens table and can hold one response until released.</summary>
    private sealed class TokenReads : HttpPipelinePolicy
    {
        private int count;
        private int armed;
        private TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count => Volatile.Read(ref count);

        public Task Held => held.Task;

        public void HoldNextResponse()
        {
            held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref armed, 1);
        }

        public void Release() => release.TrySetResult();

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (message.Request.Method != RequestMethod.Get || !message.Request.Uri.Path.Contains("tokens(", StringComparison.Ordinal))
            {
                return;
            }

            Interlocked.Increment(ref count);
            if (Interlocked.Exchange(ref armed, 0) == 1)
            {
                held.SetResult();
                await release.Task;
            }
        }
    }
}
