using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Pipeline.Reporting.Catalogue;

namespace Pipeline.Reporting.Storage;

/// <summary>
/// A unit's state to a table entity and back. The days are one JSON property; values are arrays in the order
/// of a <c>keys</c> list stored beside them, so the row stays small (about 4 KB for 45 days) and a catalogue
/// that gains an indicator still reads old rows.
/// </summary>
public sealed class UnitStateMapper(IndicatorCatalogue catalogue)
{
    /// <summary>Under Table Storage's 64 KB (32K UTF-16 characters) limit for one string property, with room.</summary>
    private const int MaxDaysChars = 30_000;

    /// <summary>
    /// How many revision ids a day keeps, tried in turn until the row fits. A day keeps all its ids up to the first
    /// number; beyond that only the newest, and replays of older ones are found by reading the day's revisions.
    /// With one id a day, 46 days take under 20,000 characters, so no day's values are let go.
    /// </summary>
    internal static readonly int[] IdsPerDay = [20, 5, 1];

    private readonly string[] keys = catalogue.Indicators.Select(i => i.Key).ToArray();

    private readonly Dictionary<string, int> slots = catalogue.Indicators.Select((indicator, slot) => (indicator.Key, slot))
        .ToDictionary(s => s.Key, s => s.slot, StringComparer.Ordinal);

    private readonly string serializedKeys = JsonSerializer.Serialize(catalogue.Indicators.Select(i => i.Key).ToArray());

    /// <summary>
    /// The entity that stores <paramref name="state"/>: a plan's next state, which still carries the
    /// <see cref="UnitState.Writes"/> of the copy it was planned on, so the entity counts one write more.
    /// </summary>
    public TableEntity ToEntity(UnitState state, string partitionKey) => ToStored(state, partitionKey).Entity;

    /// <summary>
    /// The entity that stores <paramref name="state"/>, and the state it stores: the same, or with fewer ids or days when
    /// the row had to shrink to fit, counting the write (<see cref="UnitState.Writes"/>). The writer caches that state
    /// once storage has answered with its ETag, so the next report of the unit is planned without parsing the row again.
    /// </summary>
    public (TableEntity Entity, UnitState Stored) ToStored(UnitState state, string partitionKey)
    {
        var days = Serialize(state);
        foreach (var count in IdsPerDay)
        {
            if (days.Length <= MaxDaysChars && state.Days.All(d => d.Revisions.Count <= IdsPerDay[0]))
            {
                break;
            }

            state = state.WithNewestIds(count);
            days = Serialize(state);
        }

        while (days.Length > MaxDaysChars && state.Days.Count > 1)
        {
            state = state.WithoutOldestDay();
            days = Serialize(state);
        }

        var entity = new TableEntity(partitionKey, ReportKeys.UnitRow(state.UnitCode))
        {
            ["unitCode"] = state.UnitCode,
            ["writes"] = state.Writes + 1,
            ["completeFrom"] = state.CompleteFrom == DateOnly.MinValue ? "" : ReportKeys.Day(state.CompleteFrom),
            ["keys"] = serializedKeys,
            ["days"] = days,
        };
        return (entity, state with { Writes = state.Writes + 1 });
    }

    public UnitState FromEntity(TableEntity entity) => FromRow(RowOf(entity));

    /// <summary>The stored row, compact (see <see cref="UnitStateRow"/>), as read.</summary>
    public UnitStateRow RowOf(TableEntity entity)
    {
        var storedKeys = entity.GetString("keys") ?? "[]";
        return new UnitStateRow(
            entity.GetString("unitCode") ?? "",
            entity.ETag,
            entity.GetInt64("writes") ?? 0,
            entity.GetString("completeFrom") ?? "",
            // Every row written by this catalogue has the same keys: one string for all of them, not one per cached unit.
            storedKeys == serializedKeys ? serializedKeys : storedKeys,
            Encoding.UTF8.GetBytes(entity.GetString("days") ?? "[]"));
    }

    public UnitState FromRow(UnitStateRow row)
    {
        var completeFrom = row.CompleteFrom is { Length: > 0 } from ? ReportKeys.ParseDay(from) : DateOnly.MinValue;
        return new UnitState(row.UnitCode, row.ETag, completeFrom, UnitDaysJson.Read(row.Days, SlotsOf(row.Keys)))
        {
            Writes = row.Writes,
        };
    }

    private string Serialize(UnitState state) => UnitDaysJson.Write(state.Days, slots, keys.Length);

    /// <summary>The catalogue's key at each position of a row's stored keys; null where the catalogue has none (an indicator retired since).</summary>
    private string?[] SlotsOf(string storedKeys) =>
        ReferenceEquals(storedKeys, serializedKeys) || storedKeys == serializedKeys
            ? keys
            : (JsonSerializer.Deserialize<string[]>(storedKeys) ?? []).Select(k => catalogue.TryGet(k, out _) ? k : null).ToArray();
}
