namespace Pipeline.Reporting.Reminders;

/// <summary>A township missing from a day's reports, with the phone to @-mention (null when none is known).</summary>
public sealed record MissingTownship(string Code, string Name, string CountyCode, string? Phone)
{
    /// <summary>"name（code）", then the phone after <paramref name="phonePrefix"/> when one is known.</summary>
    public string Line(string phonePrefix) => Phone is { Length: > 0 } phone ? $"{Name}（{Code}）{phonePrefix}{phone}" : $"{Name}（{Code}）";
}

/// <summary>What a message is about: the day, the cutoff (<c>HH:mm</c>, or <c>rollup rN</c> for a revision notice), the group's scope.</summary>
public sealed record ReminderSubject(DateOnly Date, string Cutoff, string Scope);

/// <summary>
/// One message to one group: part <see cref="Part"/> of <see cref="Parts"/> (a long list is split to fit the
/// service's size limit), its text, the phones it @-mentions and the townships it names.
/// </summary>
public sealed record ReminderPart(int Part, int Parts, string Text, IReadOnlyList<string> Mentions, IReadOnlyList<MissingTownship> Missing);
