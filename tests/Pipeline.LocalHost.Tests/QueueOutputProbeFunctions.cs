using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;

namespace Pipeline.LocalHost.Tests;

/// <summary>An HTTP function that exists only for these tests: an answer and a queue output, as the isolated worker declares them.</summary>
public sealed class QueueOutputProbeFunctions
{
    [Function("ProbeEnqueue")]
    public Task<Enqueued> Enqueue([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "probe/enqueue/{text}")] HttpRequest request, string text) =>
        Task.FromResult(new Enqueued { Result = new ApiResult(StatusCodes.Status202Accepted, "queued"), Message = text == "none" ? null : text });

    public sealed class Enqueued
    {
        [HttpResult]
        public required IActionResult Result { get; init; }

        [QueueOutput("%ProbeOutputQueue%", Connection = "ProbeStorage")]
        public string? Message { get; init; }
    }
}
