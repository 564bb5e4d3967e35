using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Pipeline.Functions.Http;

/// <summary>
/// The id a 5xx answer and its log line share, so an operator finds the cause from what a user reports. It is the
/// trace id of the request's activity when there is one (Application Insights shows it as the operation id), else
/// the request's trace identifier.
/// </summary>
public static class CorrelationId
{
    public static string Of(HttpContext context) =>
        Activity.Current is { TraceId: var traceId } && traceId != default ? traceId.ToHexString() : context.TraceIdentifier;
}
