using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Pipeline.Reporting;

namespace Pipeline.Functions.Http;

/// <summary>
/// A JSON (or problem+json) response written with the app's own serializer settings, so that the
/// Functions host and the local host produce byte-identical bodies without MVC formatters.
/// </summary>
public sealed class ApiResult(int status, object? body, string contentType = "application/json; charset=utf-8") : IActionResult
{
    public int Status { get; } = status;

    public object? Body { get; } = body;

    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    public ApiResult WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = Status;
        foreach (var (name, value) in Headers)
        {
            response.Headers[name] = value;
        }

        if (Body is null)
        {
            return;
        }

        response.ContentType = contentType;
        await JsonSerializer.SerializeAsync(response.Body, Body, Body.GetType(), JsonDefaults.Web, context.HttpContext.RequestAborted);
    }

    public static ApiResult Ok(object body) => new(StatusCodes.Status200OK, body);

    public static ApiResult NoContent() => new(StatusCodes.Status204NoContent, null);
}
