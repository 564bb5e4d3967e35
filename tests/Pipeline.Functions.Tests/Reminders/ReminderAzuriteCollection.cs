using Pipeline.Testing;

namespace Pipeline.Functions.Tests.Reminders;

/// <summary>A private Azurite for the reminder tests: each test runs on a day of its own, so outbox rows never meet.</summary>
[CollectionDefinition(Name)]
public sealed class ReminderAzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite (reminders)";
}
