using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Pipeline.Functions.Http;
using Pipeline.Reporting;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Validation;

namespace Pipeline.Functions.Functions;

public sealed partial class IssueTokenFunction(
    ApiGateway gateway, TokenStore tokens, AccessPolicy access, ProblemFactory problems, ILogger<IssueTokenFunction> logger)
{
    [Function("IssueToken")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tokens")] HttpRequest request) =>
        gateway.AuthorizedAsync(request, [Role.Admin], async call =>
        {
            var body = await RequestBody.ReadAsync(request, 4096, ["application/json"], call.CancellationToken);
            if (body.Fault != RequestBody.BodyFault.None)
            {
                return body.Fault == RequestBody.BodyFault.TooLarge
                    ? problems.Create(StatusCodes.Status413PayloadTooLarge, "problem.tooLarge", call.Language, "problem.tooLarge.detail", 4096)
                    : problems.Create(StatusCodes.Status415UnsupportedMediaType, "problem.unsupported", call.Language, "problem.unsupported.detail", "application/json");
            }

            TokenRequest? token;
            try
            {
                token = JsonSerializer.Deserialize<TokenRequest>(body.Bytes, JsonDefaults.Web);
            }
            catch (JsonException)
            {
                return problems.Create(StatusCodes.Status400BadRequest, "problem.malformed", call.Language);
            }

            if (token is null || !Enum.TryParse<Role>(token.Role, ignoreCase: true, out var role) || !Enum.IsDefined(role) || token.Role.Any(char.IsDigit))
            {
                return problems.Validation([new FieldError("role", "tokenRole", [])], call.Language);
            }

            if (token.Scope is null || !access.IsValidScope(role, token.Scope))
            {
                return problems.Validation([new FieldError("scope", "tokenScope", [token.Scope, token.Role])], call.Language);
            }

            var label = token.Label ?? "";
            if (label.Length > 100 || label.Any(c => ReportValidator.IsForbidden(c, allowLineBreaks: false)))
            {
                return problems.Validation([new FieldError("label", "tooLong", [100])], call.Language);
            }

            var issued = await tokens.IssueAsync(role, token.Scope, label, call.CancellationToken);
            LogIssued(issued.Id, role, issued.Scope, call.Caller.TokenId);
            return new ApiResult(StatusCodes.Status201Created, new IssuedView(issued.Id, issued.Token, role.ToString().ToLowerInvariant(), issued.Scope, issued.Label));
        });

    public sealed record TokenRequest(string Role, string? Scope, string? Label);

    public sealed record IssuedView(string Id, string Token, string Role, string Scope, string Label);

    [LoggerMessage(Level = LogLevel.Information, Message = "Token {TokenId} issued: role {Role}, scope {Scope}, by {IssuerTokenId}")]
    private partial void LogIssued(string tokenId, Role role, string scope, string issuerTokenId);
}
