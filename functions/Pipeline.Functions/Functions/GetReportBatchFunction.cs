using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Validation;

namespace Pipeline.Functions.Functions;

public sealed class GetReportBatchFunction(RequestGuard guard, BatchStore store, BatchViews views, ProblemFactory problems)
{
    [Function("GetReportBatch")]
    [Roles(Role.Reporter, Role.Official, Role.Admin)]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "batches/{batchId}")] HttpRequest request,
        string batchId) =>
        guard.AuthorizedAsync(this, request, async call =>
        {
            var batch = BatchStore.IsBatchId(batchId) ? await store.GetAsync(batchId, call.CancellationToken) : null;
            if (batch is null)
            {
                return problems.Create(StatusCodes.Status404NotFound, "problem.notFound", call.Language, "problem.notFound.batch", batchId.Length > 40 ? batchId[..40] : batchId);
            }

            if (batch.Submitter.TokenId != call.Caller.TokenId && call.Caller.Role != Role.Admin)
            {
                return problems.Create(StatusCodes.Status403Forbidden, "problem.forbidden", call.Language, "problem.forbidden.batch");
            }

            var query = request.Query;
            var after = 0;
            BatchRowOutcome? only = null;
            if ((query.ContainsKey("after") && (!int.TryParse(query["after"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out after) || after < 0))
                || (query.ContainsKey("only") && (only = Only(query["only"].ToString())) is null))
            {
                return problems.Validation([new FieldError(query.ContainsKey("only") && only is null ? "only" : "after", "batchPageQuery", [])], call.Language, "problem.badRequest");
            }

            var results = await store.ReadResultsAsync(batch.BatchId, call.CancellationToken);
            var (page, more) = results.Page(after, only, PageSize);
            var next = more
                ? $"/api/batches/{batch.BatchId}?after={page[^1].Row}" + (only is null ? "" : $"&only={query["only"]}")
                : null;
            return ApiResult.Ok(views.Batch(batch, results.Counts, page, next, call.Language));
        });

    /// <summary>At most this many row results in one answer; <c>next</c> points to the following page.</summary>
    public const int PageSize = 500;

    private static BatchRowOutcome? Only(string value) => value switch
    {
        "rejected" => BatchRowOutcome.Rejected,
        "notProcessed" => BatchRowOutcome.NotProcessed,
        _ => null,
    };
}
