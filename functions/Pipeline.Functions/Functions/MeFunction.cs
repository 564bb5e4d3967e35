using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;

namespace Pipeline.Functions.Functions;

/// <summary>Who the token belongs to and what day it is where reports are made: what the form shows first.</summary>
public sealed class MeFunction(RequestGuard guard, UnitRegistry units, ReportingClock clock)
{
    [Function("Me")]
    [Roles(Role.Reporter, Role.Official, Role.Admin)]
    public Task<IActionResult> Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me")] HttpRequest request) =>
        guard.AuthorizedAsync(this, request, call =>
        {
            var scope = units.Find(call.Caller.Scope);
            var county = units.CountyOf(call.Caller.Scope);
            return Task.FromResult<IActionResult>(ApiResult.Ok(new MeView(
                call.Caller.Role.ToString().ToLowerInvariant(),
                call.Caller.Scope,
                scope?.NameZh ?? "",
                scope?.NameEn ?? "",
                county?.Code,
                county?.NameZh,
                county?.NameEn,
                ReportDate.Iso(clock.Today),
                ReportDate.Iso(clock.EarliestAcceptedDate))));
        });

    public sealed record MeView(
        string Role, string Scope, string ScopeNameZh, string ScopeNameEn,
        string? CountyCode, string? CountyNameZh, string? CountyNameEn, string Today, string EarliestDate);
}
