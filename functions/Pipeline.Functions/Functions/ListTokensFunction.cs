using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.Functions.Functions;

/// <summary>The tokens of an area (section 7): whose scope is the asked one or lies under it; never a token or its hash.</summary>
public sealed class ListTokensFunction(RequestGuard guard, TokenDirectory directory, UnitRegistry units, AccessPolicy access, ProblemFactory problems)
{
    [Function("ListTokens")]
    [Roles(Role.Official, Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tokens")] HttpRequest request) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            var scopeCode = request.Query["scope"].ToString() is { Length: > 0 } s ? s : call.Caller.Scope;
            if (units.Find(scopeCode) is not { } scope)
            {
                return problems.Create(StatusCodes.Status400BadRequest, "problem.badScope", call.Language, "problem.badScope.detail", ReportValidator.Printable(scopeCode.Length > 20 ? scopeCode[..20] : scopeCode));
            }

            if (!access.CanViewArea(call.Caller, scope.Code))
            {
                return problems.Create(StatusCodes.Status403Forbidden, "problem.forbidden", call.Language, "problem.forbidden.area", scope.Code);
            }

            var records = await directory.ListAsync(scope.Code, code => units.IsWithin(code, scope.Code), call.CancellationToken);
            return ApiResult.Ok(records.Select(r => new TokenView(
                r.Id, r.Role.ToString().ToLowerInvariant(), r.Scope, r.Label, r.ContactName, r.ContactPhone, r.CreatedAt, r.LastUsedAt)).ToList());
        });

    public sealed record TokenView(
        string Id, string Role, string Scope, string Label, string? ContactName, string? ContactPhone, DateTimeOffset? CreatedAt, DateTimeOffset? LastUsedAt);
}
