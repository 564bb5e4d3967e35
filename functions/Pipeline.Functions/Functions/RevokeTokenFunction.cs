using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;

namespace Pipeline.Functions.Functions;

public sealed partial class RevokeTokenFunction(
    RequestGuard guard, TokenStore tokens, TokenDirectory directory, AccessPolicy access, ProblemFactory problems, ILogger<RevokeTokenFunction> logger)
{
    [Function("RevokeToken")]
    [Roles(Role.Admin, Role.Official)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "tokens/{id}")] HttpRequest request,
        string id) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            if (call.Caller.Role != Role.Admin)
            {
                // Section 7: an official revokes reporter tokens of its own scope; anything else is 403, unknown or not.
                if (await directory.FindAsync(id, call.CancellationToken) is not { } record || !access.CanRevoke(call.Caller, record))
                {
                    return problems.Create(StatusCodes.Status403Forbidden, "problem.forbidden", call.Language, "problem.forbidden.tokenRole", call.Caller.Scope);
                }
            }

            if (!await tokens.RevokeAsync(id, call.CancellationToken))
            {
                return problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language, "problem.notFound.token", id.Length > 40 ? id[..40] : id);
            }

            LogRevoked(id, call.Caller.TokenId);
            return ApiResult.NoContent();
        });

    [LoggerMessage(Level = LogLevel.Information, Message = "Token {TokenId} revoked by {RevokerTokenId}")]
    private partial void LogRevoked(string tokenId, string revokerTokenId);
}
