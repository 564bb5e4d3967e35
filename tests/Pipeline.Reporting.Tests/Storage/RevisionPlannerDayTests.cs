using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Validation;
using static Pipeline.Reporting.Tests.Storage.PlannerInputs;

namespace Pipeline.Reporting.Tests.Storage;

/// <summary>
/// The planner across a unit's days: each day numbered on its own (revision 1 is what the writer answers as created,
/// a later one as updated), and the soft rules judging a report on the history the unit had before it, whether that
/// history was stored by an earlier plan or comes earlier in this one.
/// </summary>
public sealed class RevisionPlannerDayTests
{
    private readonly RevisionPlanner planner = Planner();

    private UnitPlan Plan(UnitState state, params IncomingReport[] reports) => planner.Plan(state, NothingRead, reports, Now, Day);

    [Fact]
    public void Each_day_of_a_unit_is_numbered_on_its_own_within_one_plan()
    {
        var yesterday = Day.AddDays(-1);
        var plan = Plan(UnitState.New(Unit), Report(1, "a", Day), Report(1, "b", yesterday), Report(2, "c", Day), Report(2, "d", yesterday));

        Assert.Equal([(Day, 1), (yesterday, 1), (Day, 2), (yesterday, 2)], plan.Revisions.Select(r => (r.ReportDate, r.Revision)));
        Assert.Equal([1, 1, 2, 2], plan.Outcomes.Select(o => o.Latest));
        Assert.Equal(2, plan.Next!.DayOf(Day)!.Latest);
        Assert.Equal(2, plan.Next.DayOf(yesterday)!.Latest);
        Assert.Equal(5, plan.Actions); // four revisions and the one state row
    }

    [Fact]
    public void On_a_stored_state_a_new_day_starts_at_revision_one_and_a_correction_takes_the_next_number()
    {
        var stored = Plan(UnitState.New(Unit), Report(1, "a", Day), Report(2, "b", Day)).Next!;

        var correction = Assert.Single(Plan(stored, Report(3, "c", Day)).Outcomes);
        var newDay = Assert.Single(Plan(stored, Report(3, "c", Day.AddDays(-2))).Outcomes);

        Assert.Equal((3, 3), (correction.Stored!.Revision, correction.Latest));
        Assert.Equal((1, 1), (newDay.Stored!.Revision, newDay.Latest));
        Assert.Equal(0, correction.Replayed);
    }

    [Fact]
    public void The_soft_rules_see_the_history_an_earlier_plan_stored()
    {
        var week = Enumerable.Range(1, 7).Select(back => Report(20, $"d{back}", Day.AddDays(-back))).ToArray();
        var stored = Plan(UnitState.New(Unit), week).Next!;

        var jump = Assert.Single(Plan(stored, Report(200, "today", Day)).Revisions);
        var usual = Assert.Single(Plan(stored, Report(21, "today", Day)).Revisions);

        Assert.Contains(jump.Warnings, w => w is { Indicator: "returnees", Rule: SoftRules.Outlier });
        Assert.Empty(usual.Warnings);
    }

    [Fact]
    public void Without_history_no_soft_rule_warns()
    {
        var first = Assert.Single(Plan(UnitState.New(Unit), Report(200, "first", Day)).Revisions);

        Assert.Empty(first.Warnings);
    }
}
