using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Functions.Functions;

public sealed class SubmitReportFunction(RequestGuard guard, SubmissionService submissions, ProblemFactory problems, ReportViews views)
{
    public const int MaxBodyBytes = 64 * 1024;

    [Function("SubmitReport")]
    [Roles(Role.Reporter, Role.Official, Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reports")] HttpRequest request) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            var body = await RequestBody.ReadAsync(request, MaxBodyBytes, ["application/json"], call.CancellationToken);
            switch (body.Fault)
            {
                case RequestBody.BodyFault.TooLarge:
                    return problems.Create(StatusCodes.Status413PayloadTooLarge, "problem.tooLarge", call.Language, "problem.tooLarge.detail", MaxBodyBytes);
                case RequestBody.BodyFault.UnsupportedType:
                    return problems.Create(StatusCodes.Status415UnsupportedMediaType, "problem.unsupported", call.Language, "problem.unsupported.detail", "application/json");
            }

            ParsedReport parsed;
            try
            {
                parsed = ReportJsonParser.Parse(body.Bytes);
            }
            catch (JsonException)
            {
                return problems.Create(StatusCodes.Status400BadRequest, "problem.malformed", call.Language);
            }

            return await submissions.SubmitAsync(parsed, call.Caller, call.CancellationToken) switch
            {
                SubmissionResult.Forbidden forbidden => problems.ForbiddenUnit(forbidden.UnitCode, call.Language),
                SubmissionResult.Rejected rejected => problems.Validation(rejected.Errors, call.Language, "problem.validation"),
                SubmissionResult.Saved { Outcome: SaveOutcome.Created } saved =>
                    new ApiResult(StatusCodes.Status201Created, views.Submission(saved.Outcome, saved.Report, call.Language))
                        .WithHeader("Location", $"/api/reports/{ReportDate.Iso(saved.Report.ReportDate)}/{saved.Report.UnitCode}"),
                SubmissionResult.Saved saved => ApiResult.Ok(views.Submission(saved.Outcome, saved.Report, call.Language)),
                _ => throw new InvalidOperationException("Unknown submission result."),
            };
        });
}
