namespace Pipeline.Reporting.Storage;

/// <summary>
/// A unit's write lost to other writers of the unit on every attempt <see cref="StoragePolicies.Concurrency"/> allows:
/// nothing of it is stored, and the same report sent again shortly is (a retriable refusal, 503 with Retry-After, not a fault).
/// </summary>
public sealed class WriteContentionException(string unitCode, Exception lastConflict)
    : Exception($"The reports of unit {unitCode} lost to concurrent writers on every attempt.", lastConflict)
{
    public string UnitCode { get; } = unitCode;
}
