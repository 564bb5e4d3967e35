using Azure;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// A unit's state row as storage holds it, compact enough to cache: the days' JSON kept as UTF-8 (about 14 KB for
/// 45 days of one report each, at most 30 KB), turned into a <see cref="UnitState"/> by <see cref="UnitStateMapper.FromRow"/>
/// when a report needs it. A row with the default <see cref="ETag"/> is a unit that has no state row yet.
/// </summary>
public sealed record UnitStateRow(string UnitCode, ETag ETag, string CompleteFrom, string Keys, byte[] Days)
{
    public static UnitStateRow None(string unitCode) => new(unitCode, default, "", "[]", "[]"u8.ToArray());
}
