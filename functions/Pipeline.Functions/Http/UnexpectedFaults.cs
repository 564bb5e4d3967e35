using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Pipeline.Functions.Http;

/// <summary>
/// The last line behind <see cref="RequestGuard"/>: an exception that escaped a function is logged once, with its
/// cause and a correlation id, and answered as problem+json 500 carrying that id, never as the host's bare 500.
/// The worker middleware (<see cref="UnexpectedFaultMiddleware"/>) uses it in Azure, the local host's endpoint
/// mapping locally.
/// </summary>
public sealed partial class UnexpectedFaults(ProblemFactory problems, ILogger<UnexpectedFaults> logger)
{
    /// <summary>Logs the fault; returns the answer, or null when part of a response is already on its way (the log has the cause).</summary>
    public IActionResult? Answer(HttpContext context, string function, Exception exception)
    {
        var correlationId = CorrelationId.Of(context);
        LogUnexpected(function, context.Request.Path, correlationId, exception);
        if (context.Response.HasStarted)
        {
            return null;
        }

        context.Response.Clear();
        return problems.Internal(RequestLanguage.Of(context.Request), correlationId);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Function {Function} failed on {Path} (correlation id {CorrelationId}); answered 500")]
    private partial void LogUnexpected(string function, PathString path, string correlationId, Exception exception);
}
