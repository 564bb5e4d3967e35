using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Validation;
using static Pipeline.Reporting.Tests.Storage.PlannerInputs;

namespace Pipeline.Reporting.Tests.Storage;

/// <summary>The revision planner on its own: a unit's state and its incoming reports in, revisions, state and outcomes out; no storage.</summary>
public sealed class RevisionPlannerTests
{
    private readonly RevisionPlanner planner = Planner();

    private UnitState Stored(params IncomingReport[] reports)
    {
        var plan = planner.Plan(UnitState.New(Unit), NothingRead, reports, Now, Day);
        return plan.Next!;
    }

    [Fact]
    public void A_first_report_is_revision_one_with_its_receipt_and_the_state_row_is_added()
    {
        var plan = planner.Plan(UnitState.New(Unit), NothingRead, [Report(5, "s1")], Now, Day);
        var stored = Assert.Single(plan.Revisions);
        Assert.Equal((1, "s1", Now, false, "token-1"), (stored.Revision, stored.SubmissionId, stored.ReceivedAt, stored.Late, stored.SubmittedBy));
        Assert.Equal(ReportFingerprint.Receipt(Unit, Day, 1, stored.ContentHash), stored.Receipt);
        Assert.Same(stored, Assert.Single(plan.Outcomes).Stored);
        Assert.Equal(1, plan.Next!.DayOf(Day)!.Latest);
        Assert.Equal(2, plan.Actions);
    }

    [Fact]
    public void A_replay_is_the_same_submission_with_the_same_content_or_the_newest_content_again()
    {
        var state = Stored(Report(1, "s1"), Report(2, "s2"));
        PlannedOutcome Outcome(IncomingReport report) => Assert.Single(planner.Plan(state, NothingRead, [report], Now, Day).Outcomes);

        Assert.Equal((1, 2), (Outcome(Report(1, "s1")).Replayed, Outcome(Report(1, "s1")).Latest));
        Assert.Equal(2, Outcome(Report(2)).Replayed);
        Assert.Equal(2, Outcome(Report(2, "other")).Replayed);
        Assert.Equal(3, Outcome(Report(9, "s1")).Stored!.Revision);
        Assert.Equal(3, Outcome(Report(1)).Stored!.Revision);
        Assert.Null(planner.Plan(state, NothingRead, [Report(2, "again")], Now, Day).Next);
    }

    [Fact]
    public void A_replay_is_told_on_a_row_that_keeps_cut_hashes_as_on_one_written_with_whole_hashes()
    {
        var first = Report(1, "s1");
        var second = Report(2, "s2");
        var cut = Stored(first, second);
        Assert.All(cut.DayOf(Day)!.Revisions, r => Assert.Equal(RevisionId.KeptHashLength, r.ContentHash.Length));
        var whole = cut with
        {
            Days = [cut.DayOf(Day)! with { Revisions = [new RevisionId(1, "s1", first.ContentHash), new RevisionId(2, "s2", second.ContentHash)] }],
        };

        foreach (var state in new[] { cut, whole })
        {
            PlannedOutcome Outcome(IncomingReport report) => Assert.Single(planner.Plan(state, NothingRead, [report], Now, Day).Outcomes);
            Assert.Equal(1, Outcome(Report(1, "s1")).Replayed);
            Assert.Equal(2, Outcome(Report(2, "other")).Replayed);
            Assert.Equal(3, Outcome(Report(9, "s1")).Stored!.Revision);
            Assert.Empty(RevisionPlanner.DaysToRead(state, [Report(1, "s1")], Day));
        }
    }

    [Fact]
    public void Reports_of_one_unit_are_planned_in_order_each_seeing_the_ones_before()
    {
        var plan = planner.Plan(UnitState.New(Unit), NothingRead, [Report(1, "a"), Report(2, "b"), Report(1, "a"), Report(2, "c")], Now, Day);
        Assert.Equal([1, 2], plan.Revisions.Select(r => r.Revision));
        Assert.Equal([1, 2, 0, 0], plan.Outcomes.Select(o => o.Stored?.Revision ?? 0));
        Assert.Equal([0, 0, 1, 2], plan.Outcomes.Select(o => o.Replayed));
        Assert.Equal([1, 2], plan.Next!.DayOf(Day)!.Revisions.Select(r => r.Revision));
    }

    [Fact]
    public void A_plan_holds_what_one_transaction_holds_and_leaves_the_rest_for_the_next()
    {
        var reports = Enumerable.Range(1, 150).Select(i => Report(i, $"s{i}")).ToList();
        var first = planner.Plan(UnitState.New(Unit), NothingRead, reports, Now, Day);
        // 99 revisions and the state row.
        Assert.Equal(RevisionPlanner.MaxActions, first.Actions);
        Assert.Equal(99, first.Outcomes.Count);

        var second = planner.Plan(first.Next! with { ETag = new Azure.ETag("after-first") }, NothingRead, reports.Skip(99).ToList(), Now, Day);
        Assert.Equal(Enumerable.Range(100, 51), second.Revisions.Select(r => r.Revision));
    }

    [Fact]
    public void The_soft_rules_see_the_units_history_including_earlier_reports_of_the_same_plan()
    {
        var history = Enumerable.Range(1, 7).Select(back => Report(20, $"d{back}", Day.AddDays(-back))).ToArray();
        var plan = planner.Plan(UnitState.New(Unit), NothingRead, [.. history, Report(200, "today")], Now, Day);
        Assert.Contains(plan.Revisions[^1].Warnings, w => w is { Indicator: "returnees", Rule: SoftRules.Outlier });
        Assert.All(plan.Revisions.Take(7), r => Assert.Empty(r.Warnings));
    }

    [Fact]
    public void A_day_the_row_does_not_hold_is_numbered_from_the_ids_read()
    {
        var old = Day.AddDays(-UnitState.KeepDays - 20);
        var state = Stored(Report(1, "today"));
        Assert.Equal([old], RevisionPlanner.DaysToRead(state, [Report(5, "x", old)], Day));

        IReadOnlyList<RevisionId> ids = [new(1, "o1", "h1"), new(2, "o2", Report(7, "o2", old).ContentHash)];
        var read = new Dictionary<DateOnly, IReadOnlyList<RevisionId>> { [old] = ids };
        var plan = planner.Plan(state, read, [Report(5, "x", old), Report(7, "o2", old)], Now, Day);
        Assert.Equal(3, Assert.Single(plan.Revisions).Revision);
        Assert.Null(plan.Next);
        Assert.Equal(2, plan.Outcomes[1].Replayed);
        Assert.Equal(1, plan.Actions);
    }

    [Fact]
    public void A_day_whose_older_ids_left_the_row_is_read_only_for_a_report_the_row_cannot_answer()
    {
        var day = new UnitDay(Day, [new RevisionId(499, "s499", "h499"), new RevisionId(500, "s500", Report(500, "s500").ContentHash)], new Dictionary<string, decimal>());
        var state = new UnitState(Unit, new Azure.ETag("e"), Day.AddDays(-UnitState.KeepDays), [day]);
        Assert.Empty(RevisionPlanner.DaysToRead(state, [Report(500, "s500")], Day));
        Assert.Empty(RevisionPlanner.DaysToRead(state, [Report(500, "new")], Day));
        Assert.Equal([Day], RevisionPlanner.DaysToRead(state, [Report(3, "s3")], Day));
        Assert.Empty(RevisionPlanner.DaysToRead(state, [Report(3)], Day));

        var all = Enumerable.Range(1, 500).Select(r => new RevisionId(r, $"s{r}", r == 3 ? Report(3, "s3").ContentHash : $"h{r}")).ToList();
        var plan = planner.Plan(state, new Dictionary<DateOnly, IReadOnlyList<RevisionId>> { [Day] = all }, [Report(3, "s3"), Report(4, "s4")], Now, Day);
        Assert.Equal((3, 500), (plan.Outcomes[0].Replayed, plan.Outcomes[0].Latest));
        Assert.Equal(501, plan.Outcomes[1].Stored!.Revision);
    }

    [Fact]
    public void A_report_after_the_deadline_is_late()
    {
        var plan = planner.Plan(UnitState.New(Unit), NothingRead, [Report(1, "late")], new DateTimeOffset(2026, 11, 27, 15, 0, 0, TimeSpan.Zero), Day);
        Assert.True(plan.Revisions[0].Late);
    }
}
