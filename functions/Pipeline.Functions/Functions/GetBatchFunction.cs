using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Batches;

namespace Pipeline.Functions.Functions;

public sealed class GetBatchFunction(ApiGateway gateway, BatchStore store, BatchViews views, ProblemFactory problems)
{
    [Function("GetReportBatch")]
    public Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "batches/{batchId}")] HttpRequest request,
        string batchId) =>
        gateway.AuthorizedAsync(request, [Role.Reporter, Role.Official, Role.Admin], async call =>
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

            var results = await store.GetResultsAsync(batch.BatchId, call.CancellationToken);
            return ApiResult.Ok(views.Batch(batch, results, call.Language));
        });
}
