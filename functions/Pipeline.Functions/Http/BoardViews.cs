using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Officials;
using Pipeline.Reporting.Time;

namespace Pipeline.Functions.Http;

/// <summary>Turns a <see cref="Board"/> into its JSON body and ETag, in the reader's language.</summary>
public sealed class BoardViews(ReportViews reports, ReportingClock clock, IOptions<PipelineOptions> options)
{
    public (byte[] Body, string ETag) Render(Board board, Language language)
    {
        var view = new BoardView(
            ReportDate.Iso(board.Date), ReportDate.Iso(clock.Today), board.Scope.Code, board.Scope.Name(language), board.Editable,
            options.Value.ConsoleRefreshSeconds, options.Value.ReportingTimeZone, County(board.Total, language), board.Counties.Select(c => County(c, language)).ToList(),
            board.Units.Select(u => new BoardUnitView(
                u.Unit.Code, u.Unit.Name(language), u.CountyCode, JsonNamingPolicy.CamelCase.ConvertName(u.Status.ToString()),
                u.ReceivedAt, u.Revision, u.Receipt, reports.Warnings(u.Warnings, language),
                u.Contact.Name, u.Contact.Phone, JsonNamingPolicy.CamelCase.ConvertName(u.Contact.Source.ToString()), u.EnteredBy,
                u.Exemption is { } e ? Exemption(e) : null)).ToList());
        var body = JsonSerializer.SerializeToUtf8Bytes(view, JsonDefaults.Web);
        return (body, "\"" + Convert.ToHexStringLower(SHA256.HashData(body))[..32] + "\"");
    }

    public static ExemptionView Exemption(Exemption e) => new(e.UnitCode, ReportDate.Iso(e.From), ReportDate.Iso(e.To), e.Reason);

    private static BoardCountyView County(BoardCounty c, Language language) =>
        new(c.County.Code, c.County.Name(language), c.Expected, c.Reported, c.OnTime, c.Late, c.Missing, c.Exempt);
}
