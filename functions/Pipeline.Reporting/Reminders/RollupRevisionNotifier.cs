using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Rollups;

namespace Pipeline.Reporting.Reminders;

/// <summary>
/// When a published day gets a new rollup revision, the prefecture group gets one line of what changed: the
/// completeness and the totals that moved (the first <see cref="MaxChanges"/>). Recorded in the outbox as cutoff
/// <c>rollup rN</c> of that day and sent by the next timer run, so the build is not held up by a robot.
/// </summary>
public sealed partial class RollupRevisionNotifier(
    IOptions<ReminderOptions> options,
    ReminderService reminders,
    IndicatorCatalogue catalogue,
    ILogger<RollupRevisionNotifier> logger) : IRollupRevisionListener
{
    public const int MaxChanges = 5;

    public async Task RevisionBuiltAsync(RollupRevisionBuilt built, CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        try
        {
            var line = ReminderComposer.RevisionNotice(built.Date, built.Revision, Change(built));
            foreach (var (index, group) in reminders.PrefectureGroups())
            {
                var subject = new ReminderSubject(built.Date, $"rollup r{built.Revision}", group.Scope!);
                await reminders.RecordAsync(index, group, subject, reminders.FormatOf(group), [new ReminderPart(1, 1, line, [], [])], cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The revision stands whatever happens here; the notice is the lesser loss.
            LogNotRecorded(built.Date, built.Revision, e.GetType().Name);
        }
    }

    /// <summary>"已报送 90/99（原 88/99）；返乡人员 1203（+3）、…", or that only the units' details changed.</summary>
    public string Change(RollupRevisionBuilt built)
    {
        var parts = new List<string>();
        var (now, was) = (built.Completeness, built.PreviousCompleteness);
        if (now.Reported != was.Reported || now.Expected != was.Expected)
        {
            parts.Add($"已报送 {now.Reported}/{now.Expected}（原 {was.Reported}/{was.Expected}）");
        }

        var changes = catalogue.Indicators
            .Select(i => (i, now: built.Totals.TryGetValue(i.Key, out var n) ? n : (decimal?)null, was: built.PreviousTotals.TryGetValue(i.Key, out var w) ? w : (decimal?)null))
            .Where(c => c.now != c.was)
            .Select(c => $"{c.i.LabelZh} {Number(c.now)}（{Delta(c.now, c.was)}）")
            .ToList();
        if (changes.Count > 0)
        {
            parts.Add(string.Join("、", changes.Take(MaxChanges)) + (changes.Count > MaxChanges ? $" 等 {changes.Count} 项" : ""));
        }

        return parts.Count == 0 ? "合计未变，个别乡镇明细有更正。" : string.Join("；", parts) + "。";
    }

    private static string Number(decimal? value) => value?.ToString("0.##", CultureInfo.InvariantCulture) ?? "未报";

    private static string Delta(decimal? now, decimal? was) =>
        (now, was) switch
        {
            ({ } n, { } w) => (n - w).ToString("+0.##;-0.##", CultureInfo.InvariantCulture),
            (_, null) => "新增",
            _ => $"原 {Number(was)}",
        };

    [LoggerMessage(Level = LogLevel.Error, Message = "Rollup {Date:yyyy-MM-dd} revision {Revision}: the prefecture notice was not recorded ({Reason})")]
    private partial void LogNotRecorded(DateOnly date, int revision, string reason);
}
