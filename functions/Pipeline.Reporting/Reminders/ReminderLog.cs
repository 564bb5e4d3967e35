using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Reminders;

/// <summary>A day's reminder log, limited to the groups whose scope is the reader's or lies under it.</summary>
public sealed class ReminderLog(ReminderOutbox outbox, UnitRegistry units)
{
    public async Task<IReadOnlyList<ReminderLogEntry>> ReadAsync(DateOnly date, string? withinScope, CancellationToken cancellationToken)
    {
        var entries = new List<ReminderLogEntry>();
        await foreach (var m in outbox.ReadDayAsync(date, cancellationToken))
        {
            if (withinScope is null || units.IsWithin(m.Scope, withinScope))
            {
                entries.Add(new ReminderLogEntry(m.Cutoff, m.Scope, m.Kind.Name(), m.Group, m.Part, m.Parts, m.Status, m.Attempts, m.SentAt, m.LastError, m.Missing));
            }
        }

        return entries;
    }
}
