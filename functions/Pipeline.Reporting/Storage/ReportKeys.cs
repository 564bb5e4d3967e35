using System.Globalization;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// Keys of the <c>countyreports</c> table. One partition per county holds two kinds of row:
/// <list type="bullet">
/// <item>revisions, RowKey <c>r_yyyyMMdd_unitCode_rrrr</c>: insert-only and never deleted, so a day's reports of a
/// county are one range (the rollup's read), one unit's revisions of a day a narrower range inside it, and the
/// storage's <c>Timestamp</c> of a revision never changes (what a rollup's stale check counts by);</item>
/// <item>one state row per unit, RowKey <c>u_unitCode</c>: the unit's recent days (newest revision, its values
/// and submission ids), the one point read a submission needs, and the ETag that orders a unit's writers.</item>
/// </list>
/// A revision and its unit's state are written in one entity-group transaction, so they never disagree, and a
/// county's batch goes in transactions of up to 100 rows. Codes reach these keys only after the registry vouched for them.
/// </summary>
public static class ReportKeys
{
    private const string RevisionPrefix = "r_";
    private const string UnitPrefix = "u_";

    public static string Day(DateOnly date) => date.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public static DateOnly ParseDay(string? day) =>
        DateOnly.ParseExact(day ?? "", "yyyyMMdd", CultureInfo.InvariantCulture);

    public static string RevisionRow(DateOnly date, string unitCode, int revision) =>
        $"{RevisionPrefix}{Day(date)}_{unitCode}_{revision.ToString("D4", CultureInfo.InvariantCulture)}";

    public static string UnitRow(string unitCode) => UnitPrefix + unitCode;

    /// <summary>The day of a revision row (<see cref="RevisionRow"/>).</summary>
    public static DateOnly DayOfRevisionRow(string rowKey) => ParseDay(rowKey.Substring(RevisionPrefix.Length, 8));

    /// <summary>The day of a revision row as stored (<see cref="Day"/>), without a string of its own.</summary>
    public static ReadOnlySpan<char> DayTextOfRevisionRow(string rowKey) => rowKey.AsSpan(RevisionPrefix.Length, 8);

    /// <summary>The unit of a revision row (<see cref="RevisionRow"/>), without a string of its own.</summary>
    public static ReadOnlySpan<char> UnitOfRevisionRow(string rowKey)
    {
        var unit = RevisionPrefix.Length + 9;
        return rowKey.AsSpan(unit, rowKey.LastIndexOf('_') - unit);
    }

    /// <summary>The revision number of a revision row (<see cref="RevisionRow"/>).</summary>
    public static int RevisionOfRevisionRow(string rowKey) =>
        int.Parse(rowKey.AsSpan(rowKey.LastIndexOf('_') + 1), NumberStyles.None, CultureInfo.InvariantCulture);

    /// <summary>The day and unit of a revision row: what all revisions of a unit's day share.</summary>
    public static ReadOnlySpan<char> UnitDayOfRevisionRow(string rowKey) => rowKey.AsSpan(0, rowKey.LastIndexOf('_'));

    /// <summary>Every revision of every unit of a county on one day: [<c>r_yyyyMMdd_</c>, <c>r_yyyyMMdd`</c>).</summary>
    public static (string From, string To) DayRange(DateOnly date) => ($"{RevisionPrefix}{Day(date)}_", $"{RevisionPrefix}{Day(date)}`");

    /// <summary>Every revision of one unit on one day: [<c>r_yyyyMMdd_unit_</c>, <c>r_yyyyMMdd_unit`</c>).</summary>
    public static (string From, string To) UnitDayRange(DateOnly date, string unitCode) =>
        ($"{RevisionPrefix}{Day(date)}_{unitCode}_", $"{RevisionPrefix}{Day(date)}_{unitCode}`");

    /// <summary>Every unit state row of a county.</summary>
    public static (string From, string To) UnitRange() => (UnitPrefix, "u`");
}
