namespace Pipeline.Reporting.Rollups;

/// <summary>
/// One file in the making, in three steps: what is known before the area is read (date, revision, scope), its units in
/// pieces in the area's order, then what needs the whole area (completeness, totals, the comparison with the revision before).
/// </summary>
public interface IIncrementalRollupFile : IDisposable
{
    /// <summary>Writes what is known before the units; only the members of <paramref name="start"/> that precede its units are used.</summary>
    ValueTask StartAsync(RollupDocument start, CancellationToken cancellationToken);

    ValueTask UnitsAsync(IEnumerable<UnitRollup> units, CancellationToken cancellationToken);

    /// <summary>Ends the file with <paramref name="document"/>, the whole one (its units are the ones written, its start the one written).</summary>
    ValueTask EndAsync(RollupDocument document, CancellationToken cancellationToken);
}
