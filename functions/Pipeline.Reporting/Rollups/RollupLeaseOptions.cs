namespace Pipeline.Reporting.Rollups;

/// <summary>The rollup build lease (a blob lease: 15 to 60 seconds), renewed while a build runs.</summary>
public sealed class RollupLeaseOptions
{
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(60);
}
