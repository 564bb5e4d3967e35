using Pipeline.Testing;

namespace Pipeline.Functions.Tests;

/// <summary>A second private Azurite for the rollup tests: cumulative figures sum every built day in the account.</summary>
[CollectionDefinition(Name)]
public sealed class RollupAzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite (rollups)";
}
