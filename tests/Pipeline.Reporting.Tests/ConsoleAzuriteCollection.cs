using Pipeline.Testing;

namespace Pipeline.Reporting.Tests;

/// <summary>A private Azurite for the contact directory's test: a unit's latest report names its contact, which others' reports would change.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleAzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite (console)";
}
