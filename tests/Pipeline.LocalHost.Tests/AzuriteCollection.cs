using Pipeline.Testing;

namespace Pipeline.LocalHost.Tests;

/// <summary>One private Azurite shared by the tests of the "Azurite" collection.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
