using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Officials;

/// <summary>A private Azurite for the console's tests: they count a county's tokens and contacts, which others' tests would add to.</summary>
[CollectionDefinition(Name)]
public sealed class ConsoleAzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite (console)";
}
