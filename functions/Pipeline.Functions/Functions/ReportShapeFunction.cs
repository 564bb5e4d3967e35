using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Validation;

namespace Pipeline.Functions.Functions;

/// <summary>The report's shape, its rules as data and their messages, for the form (anyone may read it).</summary>
public sealed class ReportShapeFunction(ReportShape shape, Messages messages)
{
    [Function("ReportShape")]
    [Anonymous]
    public IActionResult Run([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "report-shape")] HttpRequest request) =>
        ApiResult.Ok(ReportShapeView.From(shape, messages));
}
