using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Batches;

namespace Pipeline.Functions.Functions;

/// <summary>Puts a poison message back on <c>report-submissions</c>: its batch resumes where it stopped.</summary>
public sealed partial class ReplayPoisonFunction(RequestGuard guard, PoisonQueue poison, ProblemFactory problems, ILogger<ReplayPoisonFunction> logger)
{
    [Function("ReplayPoison")]
    [Roles(Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "operations/poison/{messageId}/replay")] HttpRequest request,
        string messageId) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            var shown = messageId.Length > 40 ? messageId[..40] : messageId;
            switch (await poison.ReplayAsync(messageId, call.CancellationToken))
            {
                case PoisonAction.NotFound:
                    return problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language, "problem.notFound.poison", shown);
                case PoisonAction.NotReplayable:
                    return problems.Create(StatusCodes.Status409Conflict, "problem.conflict", call.Language, "problem.conflict.poisonNotReplayable", shown);
                default:
                    LogReplayed(messageId, call.Caller.TokenId);
                    return new ApiResult(StatusCodes.Status202Accepted, new { messageId, replayed = true });
            }
        });

    [LoggerMessage(Level = LogLevel.Warning, Message = "Poison message {MessageId} replayed onto report-submissions by {TokenId}")]
    private partial void LogReplayed(string messageId, string tokenId);
}
