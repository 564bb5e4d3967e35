using Pipeline.Reporting.Contacts;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Officials;

/// <summary>
/// Builds the board of a day: the current report of every township in the area (one range read per county), the
/// day's exemptions (one partition read per county) and every township's contact.
/// </summary>
public sealed class BoardReader(ReportStore reports, ExemptionStore exemptions, UnitContactDirectory contacts, UnitRegistry units, ReportingClock clock)
{
    public async Task<Board> ReadAsync(DateOnly date, AdminUnit scope, CancellationToken cancellationToken)
    {
        var counties = units.TownshipsByCounty(scope.Code);
        var dayReports = await DayReader.PerCountyAsync(counties, async (county, ct) =>
        {
            var found = new Dictionary<string, StoredReport>(StringComparer.Ordinal);
            await foreach (var report in reports.ReadDayAsync(date, county.County.Code, ct))
            {
                found[report.UnitCode] = report;
            }

            return found;
        }, cancellationToken);
        var exempt = (await exemptions.WithinAsync(scope, date, date, cancellationToken))
            .GroupBy(e => e.UnitCode).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        var contactOf = await contacts.ForUnitsAsync(counties.SelectMany(c => c.Townships.Select(t => t.Code)).ToList(), cancellationToken);

        var boardCounties = new List<BoardCounty>();
        var boardUnits = new List<BoardUnit>();
        for (var i = 0; i < counties.Count; i++)
        {
            var countyUnits = counties[i].Townships.Select(t =>
            {
                dayReports[i].TryGetValue(t.Code, out var report);
                exempt.TryGetValue(t.Code, out var exemption);
                var status = report is not null ? (report.Late ? BoardStatus.Late : BoardStatus.OnTime)
                    : exemption is not null ? BoardStatus.Exempt
                    : BoardStatus.Missing;
                return new BoardUnit(t, counties[i].County.Code, status, report?.ReceivedAt, report?.Revision, report?.Receipt,
                    report?.Warnings ?? [], contactOf[t.Code], report is { SubmitterRole.Length: > 0 } ? report.SubmitterRole : null, exemption);
            }).ToList();
            boardCounties.Add(BoardCounty.Of(counties[i].County, countyUnits));
            boardUnits.AddRange(countyUnits);
        }

        var ordered = boardUnits.OrderBy(u => u.Status).ThenBy(u => u.Unit.Code, StringComparer.Ordinal).ToList();
        var editable = date >= clock.EarliestAcceptedDate && date <= clock.Today;
        return new Board(date, scope, editable, BoardCounty.Of(scope, boardUnits), boardCounties, ordered);
    }
}
