using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Pipeline.Functions.Http;
using Pipeline.Reporting;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Officials;

namespace Pipeline.Functions.Functions;

public sealed partial class IssueTokenFunction(
    RequestGuard guard, TokenIssuer issuer, ProblemFactory problems, ILogger<IssueTokenFunction> logger)
{
    [Function("IssueToken")]
    [Roles(Role.Admin, Role.Official)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tokens")] HttpRequest request) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            var body = await RequestBody.ReadAsync(request, 4096, ["application/json"], call.CancellationToken);
            if (body.Fault != RequestBody.BodyFault.None)
            {
                return body.Fault == RequestBody.BodyFault.TooLarge
                    ? problems.Create(StatusCodes.Status413PayloadTooLarge, "problem.tooLarge", call.Language, "problem.tooLarge.detail", 4096)
                    : problems.Create(StatusCodes.Status415UnsupportedMediaType, "problem.unsupported", call.Language, "problem.unsupported.detail", "application/json");
            }

            TokenOrder? order;
            try
            {
                order = JsonSerializer.Deserialize<TokenOrder>(body.Bytes, JsonDefaults.Web);
            }
            catch (JsonException)
            {
                return problems.Create(StatusCodes.Status400BadRequest, "problem.malformed", call.Language);
            }

            var baseUrl = $"{request.Scheme}://{request.Host}";
            switch (await issuer.IssueAsync(call.Caller, order ?? new TokenOrder(null, null, null, null, null, false), baseUrl, call.CancellationToken))
            {
                case IssueOutcome.Invalid invalid:
                    return problems.Validation(invalid.Errors, call.Language, "problem.validation.token");
                case IssueOutcome.Forbidden forbidden:
                    return problems.Create(StatusCodes.Status403Forbidden, "problem.forbidden", call.Language, forbidden.DetailCode, forbidden.Argument);
                case IssueOutcome.Issued issued:
                    foreach (var token in issued.Tokens)
                    {
                        LogIssued(token.Token.Id, token.Token.Role, token.Token.Scope, call.Caller.TokenId);
                    }

                    var views = issued.Tokens.Select(View).ToList();
                    return new ApiResult(StatusCodes.Status201Created, order!.AllWithoutToken ? views : views[0]);
                default:
                    throw new InvalidOperationException("Unknown issue outcome.");
            }
        });

    private static IssuedView View(IssuedTokenLink t) => new(
        t.Token.Id, t.Token.Token, t.Token.Role.ToString().ToLowerInvariant(), t.Token.Scope, t.Token.Label,
        t.Contact.Name, t.Contact.Phone, t.Link, t.LinkExpiresAt, QrCodes.DataUri(t.Link));

    public sealed record IssuedView(
        string Id, string Token, string Role, string Scope, string Label, string? ContactName, string? ContactPhone, string Link, DateTimeOffset LinkExpiresAt, string Qr);

    [LoggerMessage(Level = LogLevel.Information, Message = "Token {TokenId} issued: role {Role}, scope {Scope}, by {IssuerTokenId}")]
    private partial void LogIssued(string tokenId, Role role, string scope, string issuerTokenId);
}
