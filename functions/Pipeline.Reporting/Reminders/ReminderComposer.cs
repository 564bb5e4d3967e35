using System.Globalization;
using System.Text;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Reminders;

/// <summary>
/// Writes the messages (in Chinese) and splits a long list into parts that fit the service's byte limit: every
/// part keeps the heading (with "第 i/n 条") and the closing line, and no township's line is ever cut.
/// </summary>
public sealed class ReminderComposer
{
    /// <summary>A county group's reminder: who of its townships has not reported, the deadline and the form's address.</summary>
    public IReadOnlyList<ReminderPart> CountyReminder(
        IRobotFormat format, DateOnly date, TimeOnly cutoff, TimeOnly deadline, AdminUnit county, IReadOnlyList<MissingTownship> missing, string? formUrl)
    {
        var heading = cutoff < deadline
            ? $"【疫情防控日报提醒】{Day(date)} {Hm(cutoff)}\n{county.NameZh}还有 {missing.Count} 个乡镇（街道）未报送，截止时间 {Hm(deadline)}："
            : $"【疫情防控日报提醒】{Day(date)} {Hm(cutoff)}\n已过截止时间 {Hm(deadline)}，{county.NameZh}仍有 {missing.Count} 个乡镇（街道）未报送：";
        var closing = formUrl is { Length: > 0 } ? $"请尽快填报：{formUrl}" : "请尽快填报。";
        var items = missing.Select((t, i) => new Item($"{i + 1}. {format.Line(t)}", [t])).ToList();
        return Split(format.ContentLimitBytes, heading, items, closing);
    }

    /// <summary>The prefecture group's escalation at the deadline: counts and names per county.</summary>
    public IReadOnlyList<ReminderPart> PrefectureEscalation(
        IRobotFormat format, DateOnly date, TimeOnly cutoff, TimeOnly deadline, AdminUnit prefecture, int expected,
        IReadOnlyList<(AdminUnit County, IReadOnlyList<MissingTownship> Missing)> counties)
    {
        var total = counties.Sum(c => c.Missing.Count);
        var when = cutoff < deadline ? $"截止时间 {Hm(deadline)} 前" : $"已过截止时间 {Hm(deadline)}";
        var heading = $"【疫情防控日报】{Day(date)} {Hm(cutoff)}\n{when}，{prefecture.NameZh}应报 {expected} 个乡镇（街道），{total} 个未报送：";
        var items = new List<Item>();
        foreach (var (county, missing) in counties.Where(c => c.Missing.Count > 0))
        {
            // A county's names on one line; a county too long for one message continues on the next line ("续").
            var prefix = $"{county.NameZh} {missing.Count} 个：";
            var line = new StringBuilder(prefix);
            var units = new List<MissingTownship>();
            foreach (var township in missing)
            {
                var name = (units.Count == 0 ? "" : "、") + township.Name;
                if (units.Count > 0 && Bytes(line + name) > format.ContentLimitBytes / 2)
                {
                    items.Add(new Item(line.ToString(), units));
                    line = new StringBuilder($"{county.NameZh}（续）：");
                    units = [];
                    name = township.Name;
                }

                line.Append(name);
                units.Add(township);
            }

            items.Add(new Item(line.ToString(), units));
        }

        return Split(format.ContentLimitBytes, heading, items, "请各县（市）督促尽快报送。");
    }

    /// <summary>The one-line notice to the prefecture group when a published day gets a new rollup revision.</summary>
    public static string RevisionNotice(DateOnly date, int revision, string change) =>
        $"【日报汇总更新】{Day(date)}汇总已更新为第 {revision} 版：{change}";

    private static List<ReminderPart> Split(int limit, string heading, IReadOnlyList<Item> items, string closing)
    {
        // Measure with the widest part label, so that numbering the parts afterwards never pushes one over.
        var overhead = Bytes(Heading(heading, 99, 99)) + Bytes(closing) + 2;
        var groups = new List<List<Item>> { new() };
        var used = overhead;
        foreach (var item in items)
        {
            var size = Bytes(item.Line) + 1;
            if (overhead + size > limit)
            {
                throw new InvalidOperationException("A single line does not fit a message.");
            }

            if (used + size > limit && groups[^1].Count > 0)
            {
                groups.Add([]);
                used = overhead;
            }

            groups[^1].Add(item);
            used += size;
        }

        return groups.Select((g, i) =>
        {
            var text = new StringBuilder(Heading(heading, i + 1, groups.Count));
            foreach (var item in g)
            {
                text.Append('\n').Append(item.Line);
            }

            text.Append('\n').Append(closing);
            var units = g.SelectMany(item => item.Units).ToList();
            var mentions = units.Select(u => u.Phone).OfType<string>().Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToList();
            return new ReminderPart(i + 1, groups.Count, text.ToString(), mentions, units);
        }).ToList();
    }

    private static string Heading(string heading, int part, int parts) => parts == 1 ? heading : $"{heading}（第 {part}/{parts} 条）";

    private static int Bytes(string text) => Encoding.UTF8.GetByteCount(text);

    private static string Day(DateOnly date) => date.ToString("yyyy年M月d日", CultureInfo.InvariantCulture);

    private static string Hm(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private sealed record Item(string Line, IReadOnlyList<MissingTownship> Units);
}
