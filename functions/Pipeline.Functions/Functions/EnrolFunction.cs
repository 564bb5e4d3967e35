using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Pipeline.Functions.Http;
using Pipeline.Reporting;
using Pipeline.Reporting.Access;

namespace Pipeline.Functions.Functions;

/// <summary>Exchanges a one-time enrolment code (from a link's fragment) for its token: 200 once, 410 after.</summary>
public sealed partial class EnrolFunction(RequestGuard guard, Enrolments enrolments, ProblemFactory problems, ILogger<EnrolFunction> logger)
{
    [Function("Enrol")]
    [Anonymous]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "enrol")] HttpRequest request) =>
        guard.AnonymousAsync(this, request, async (language, cancellationToken) =>
        {
            var body = await RequestBody.ReadAsync(request, 1024, ["application/json"], cancellationToken);
            if (body.Fault != RequestBody.BodyFault.None)
            {
                return body.Fault == RequestBody.BodyFault.TooLarge
                    ? problems.Create(StatusCodes.Status413PayloadTooLarge, "problem.tooLarge", language, "problem.tooLarge.detail", 1024)
                    : problems.Create(StatusCodes.Status415UnsupportedMediaType, "problem.unsupported", language, "problem.unsupported.detail", "application/json");
            }

            EnrolRequest? enrol;
            try
            {
                enrol = JsonSerializer.Deserialize<EnrolRequest>(body.Bytes, JsonDefaults.Web);
            }
            catch (JsonException)
            {
                return problems.Create(StatusCodes.Status400BadRequest, "problem.malformed", language);
            }

            if (await enrolments.RedeemAsync(enrol?.Code ?? "", cancellationToken) is not { } token)
            {
                return problems.Create(StatusCodes.Status410Gone, "problem.gone", language, "problem.gone.enrol");
            }

            LogEnrolled(token.Id, token.Role, token.Scope);
            return ApiResult.Ok(new EnrolledView(token.Token, token.Role.ToString().ToLowerInvariant(), token.Scope));
        });

    public sealed record EnrolRequest(string? Code);

    public sealed record EnrolledView(string Token, string Role, string Scope);

    [LoggerMessage(Level = LogLevel.Information, Message = "Token {TokenId} enrolled: role {Role}, scope {Scope}")]
    private partial void LogEnrolled(string tokenId, Role role, string scope);
}
