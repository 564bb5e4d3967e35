using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Batches;

namespace Pipeline.Functions.Functions;

/// <summary>Removes a poison message for good (its batch keeps the row results it has).</summary>
public sealed partial class DropPoisonFunction(RequestGuard guard, PoisonQueue poison, ProblemFactory problems, ILogger<DropPoisonFunction> logger)
{
    [Function("DropPoison")]
    [Roles(Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "operations/poison/{messageId}")] HttpRequest request,
        string messageId) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            if (await poison.DropAsync(messageId, call.CancellationToken) == PoisonAction.NotFound)
            {
                return problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language, "problem.notFound.poison", messageId.Length > 40 ? messageId[..40] : messageId);
            }

            LogDropped(messageId, call.Caller.TokenId);
            return ApiResult.NoContent();
        });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poison message {MessageId} dropped by {TokenId}")]
    private partial void LogDropped(string messageId, string tokenId);
}
