using Microsoft.Extensions.Configuration;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Storage;

namespace Pipeline.Reporting.Tests.Storage;

public sealed class StorageClientFactoryTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Only_an_account_name_gives_identity_based_clients_on_the_service_uris()
    {
        var clients = StorageClientFactory.Create(Settings(("PipelineStorage:accountName", "stpipeline"), ("PipelineStorage:clientId", "00000000-0000-0000-0000-000000000001")));
        Assert.True(clients.UsesManagedIdentity);
        Assert.Equal("https://stpipeline.table.core.windows.net/", clients.Tables.Uri.ToString());
        Assert.Equal("https://stpipeline.blob.core.windows.net/", clients.Blobs.Uri.ToString());
        Assert.Equal("https://stpipeline.queue.core.windows.net/", clients.Queues.Uri.ToString());
        Assert.Equal(clients.Tables.Uri, clients.TablesWithoutMetadata.Uri);
        Assert.NotSame(clients.Tables, clients.TablesWithoutMetadata);
        Assert.False(clients.Blobs.CanGenerateAccountSasUri, "an identity-based client holds no account key");
    }

    [Fact]
    public void Explicit_service_uris_win_over_the_account_name()
    {
        var clients = StorageClientFactory.Create(Settings(("PipelineStorage:tableServiceUri", "https://other.table.core.windows.net"), ("PipelineStorage:accountName", "stpipeline")));
        Assert.Equal("https://other.table.core.windows.net/", clients.Tables.Uri.ToString());
        Assert.Equal("https://stpipeline.blob.core.windows.net/", clients.Blobs.Uri.ToString());
    }

    [Fact]
    public void A_connection_string_gives_key_based_clients_for_azurite()
    {
        var clients = StorageClientFactory.Create(Settings(("PipelineStorage", "UseDevelopmentStorage=true")));
        Assert.False(clients.UsesManagedIdentity);
        Assert.Equal("http://127.0.0.1:10002/devstoreaccount1", clients.Tables.Uri.ToString().TrimEnd('/'));
        Assert.True(clients.Blobs.CanGenerateAccountSasUri);
    }

    [Fact]
    public void No_storage_setting_is_a_clear_start_up_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageClientFactory.Create(Settings()));
        Assert.Contains("PipelineStorage__accountName", error.Message);
    }

    [Fact]
    public void An_unresolved_key_vault_reference_is_never_accepted_as_the_admin_token()
    {
        var validator = new PipelineOptionsValidator();
        var result = validator.Validate(null, new PipelineOptions { AdminToken = "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x)" });
        Assert.True(result.Failed);
        Assert.True(validator.Validate(null, new PipelineOptions { AdminToken = "a-real-token-of-some-length" }).Succeeded);
        Assert.True(validator.Validate(null, new PipelineOptions { ReportingTimeZone = "Mars/Olympus" }).Failed);
    }
}
