using Azure;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// A unit's state row as storage holds it: the days' JSON kept as UTF-8 (about 14 KB for 45 days of one report each, at
/// most 30 KB), turned into a <see cref="UnitState"/> by <see cref="UnitStateMapper.FromRow"/> when a report needs it
/// (the cache holds that state, not the row). A row with the default <see cref="ETag"/> is a unit that has no state row yet.
/// <see cref="Writes"/> numbers the row's writes (see <see cref="UnitState.Writes"/>): of two copies of one row, the
/// one with more writes is the newer; 0 for a row that does not exist yet, or was written before the count was kept.
/// </summary>
public sealed record UnitStateRow(string UnitCode, ETag ETag, long Writes, string CompleteFrom, string Keys, byte[] Days)
{
    public static UnitStateRow None(string unitCode) => new(unitCode, default, 0, "", "[]", "[]"u8.ToArray());
}
