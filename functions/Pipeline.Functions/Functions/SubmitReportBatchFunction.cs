using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Validation;

namespace Pipeline.Functions.Functions;

/// <summary>
/// Accepts a batch (a JSON array of reports, CSV, or the CSV's columns in an .xlsx workbook) and answers 202 at once: only the
/// envelope is read here (encoding, header, row count); rows are validated and stored by <see cref="ProcessReportBatchFunction"/>.
/// The batch's message leaves through the queue output binding: the host that writes it wakes its own listener of
/// that queue at once (see <see cref="BatchSubmitter"/>).
/// </summary>
public sealed class SubmitReportBatchFunction(RequestGuard guard, BatchPayloadReader reader, BatchSubmitter submitter, ProblemFactory problems)
{
    public const int MaxBodyBytes = 16 * 1024 * 1024;


    [Function("SubmitReportBatch")]
    [Roles(Role.Reporter, Role.Official, Role.Admin)]
    public async Task<Output> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reports/batch")] HttpRequest request)
    {
        string? message = null;
        var result = await guard.AuthorizedAsync(this, request, async call =>
        {
            var body = await RequestBody.ReadAsync(request, MaxBodyBytes, ["application/json", "text/csv", XlsxSheetReader.MediaType], call.CancellationToken);
            switch (body.Fault)
            {
                case RequestBody.BodyFault.TooLarge:
                    return problems.Create(StatusCodes.Status413PayloadTooLarge, "problem.tooLarge", call.Language, "problem.tooLarge.detail", MaxBodyBytes);
                case RequestBody.BodyFault.UnsupportedType:
                    return problems.Create(StatusCodes.Status415UnsupportedMediaType, "problem.unsupported", call.Language, "problem.unsupported.detail", $"application/json, text/csv, {XlsxSheetReader.MediaType}");
            }

            var format = request.ContentType!.Contains("csv", StringComparison.OrdinalIgnoreCase) ? BatchFormat.Csv
                : request.ContentType.Contains(XlsxSheetReader.MediaType, StringComparison.OrdinalIgnoreCase) ? BatchFormat.Xlsx
                : BatchFormat.Json;
            var envelope = reader.Check(format, body.Bytes);
            if (!envelope.IsReadable || envelope.Rows == 0)
            {
                var errors = envelope.IsReadable ? [new FieldError("$", "batchEmpty", [])] : envelope.Errors;
                return problems.Validation(errors, call.Language, "problem.batchUnreadable");
            }

            var maxRows = BatchSubmitter.MaxRowsFor(call.Caller);
            if (envelope.Rows > maxRows)
            {
                return problems.Create(StatusCodes.Status413PayloadTooLarge, "problem.tooManyRows", call.Language,
                    call.Caller.Role == Role.Reporter ? "problem.tooManyRows.reporter" : "problem.tooManyRows.detail", maxRows, envelope.Rows);
            }

            var (batch, queued) = await submitter.SubmitAsync(format, body.Bytes!, envelope.Rows, call.Caller, call.CancellationToken);
            message = queued;
            var statusUrl = $"/api/batches/{batch.BatchId}";
            return new ApiResult(StatusCodes.Status202Accepted, new BatchAccepted(batch.BatchId, statusUrl, batch.Total))
                .WithHeader("Location", statusUrl);
        }, RequestDeadline.Upload);
        return new Output { Result = result, Message = message };
    }

    public sealed record BatchAccepted(string BatchId, string StatusUrl, int Rows);

    /// <summary>The answer, and the batch's message once the batch is recorded (none for a refused upload).</summary>
    public sealed class Output
    {
        [HttpResult]
        public required IActionResult Result { get; init; }

        [QueueOutput(BatchStore.QueueName, Connection = StorageClientFactory.ConnectionName)]
        public string? Message { get; init; }
    }
}
