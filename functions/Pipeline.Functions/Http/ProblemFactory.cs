using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Validation;

namespace Pipeline.Functions.Http;

/// <summary>Builds localized problem+json responses and renders field errors in the reader's language.</summary>
public sealed class ProblemFactory(Messages messages, IndicatorCatalogue catalogue)
{
    private const string ProblemJson = "application/problem+json; charset=utf-8";

    public ApiResult Create(int status, string titleCode, Language language, string? detailCode = null, params object?[] detailArgs) =>
        new(status, new Problem(
            $"https://pipeline.example/problems/{titleCode.Replace("problem.", "", StringComparison.Ordinal)}",
            messages.Format(titleCode, language),
            status,
            detailCode is null ? null : messages.Format(detailCode, language, detailArgs)), ProblemJson);

    /// <summary>
    /// Reads the <c>{date}</c> of a route. A date that is not a real <c>yyyy-MM-dd</c> day answers 400 naming it: the
    /// route exists, so a 404 would tell the caller nothing about what to fix.
    /// </summary>
    public bool TryRouteDate(string text, Language language, out DateOnly day, [NotNullWhen(false)] out ApiResult? problem)
    {
        problem = ReportDate.Classify(text, out day) switch
        {
            ReportDateStatus.Valid => null,
            ReportDateStatus.NoSuchDay => Validation([new FieldError("date", "routeDateNoSuchDay", [text])], language),
            _ => Validation([new FieldError("date", "rollup.dateInvalid", [text])], language),
        };
        return problem is null;
    }

    /// <param name="titleCode">What was refused: a request by default (a URL's date, a query, a body that is not a
    /// report); <c>problem.validation</c> only for a report.</param>
    public ApiResult Validation(IEnumerable<FieldError> errors, Language language, string titleCode = "problem.validation.request") =>
        new(StatusCodes.Status400BadRequest, new Problem(
            "https://pipeline.example/problems/validation",
            messages.Format(titleCode, language),
            StatusCodes.Status400BadRequest,
            messages.Format("problem.validation.detail", language),
            Render(errors, language)), ProblemJson);

    public IReadOnlyDictionary<string, string[]> Render(IEnumerable<FieldError> errors, Language language) =>
        errors.GroupBy(e => e.Field, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => Message(e, language)).ToArray(), StringComparer.Ordinal);

    public string Message(FieldError error, Language language) =>
        messages.Format(error.Code, language, error.Args.Select(a => Argument(a, language)).ToArray());

    public string Message(string code, Language language, params object?[] args) =>
        messages.Format(code, language, args.Select(a => Argument(a, language)).ToArray());

    private object? Argument(object? argument, Language language) => argument switch
    {
        IndicatorLabel label => catalogue.TryGet(label.Key, out var indicator) ? indicator.MessageLabel(language) : label.Key,
        IndicatorSum sum => string.Join(" + ", sum.Keys.Select(k => catalogue[k].MessageLabel(language))),
        decimal number => number.ToString("0.##", CultureInfo.InvariantCulture),
        _ => argument,
    };

    public ApiResult Unauthorized(Language language) =>
        Create(StatusCodes.Status401Unauthorized, "problem.unauthorized", language, "problem.unauthorized.detail")
            .WithHeader("WWW-Authenticate", "Bearer");

    public ApiResult ForbiddenUnit(string unitCode, Language language) =>
        Create(StatusCodes.Status403Forbidden, "problem.forbidden", language, "problem.forbidden.unit", unitCode);

    public ApiResult ForbiddenRole(string roles, Language language) =>
        Create(StatusCodes.Status403Forbidden, "problem.forbidden", language, "problem.forbidden.role", roles);

    /// <param name="passedDeadline">The request's storage deadline when it is what passed (the detail names it), else null.</param>
    public ApiResult StorageUnavailable(Language language, string? correlationId = null, TimeSpan? passedDeadline = null) =>
        WithCorrelation(
            Create(StatusCodes.Status503ServiceUnavailable, "problem.unavailable", language,
                passedDeadline is null ? "problem.unavailable.detail" : "problem.unavailable.deadline", (passedDeadline ?? RequestDeadline.Storage).TotalSeconds),
            correlationId)
            .WithHeader("Retry-After", "5");

    /// <summary>
    /// A write of <paramref name="unitCode"/> that lost to other writers of the unit on every attempt: nothing stored,
    /// 503 naming the unit and the rule, and a Retry-After of 1-3 s, spread so that the writers that collided do not
    /// come back together and collide again.
    /// </summary>
    public ApiResult Contended(string unitCode, Language language, string correlationId) =>
        WithCorrelation(
            new ApiResult(StatusCodes.Status503ServiceUnavailable, new Problem(
                "https://pipeline.example/problems/contended",
                messages.Format("problem.contended", language),
                StatusCodes.Status503ServiceUnavailable,
                messages.Format("problem.contended.detail", language, unitCode),
                Render([new FieldError("unitCode", "unitContended", [unitCode])], language)), ProblemJson),
            correlationId)
            .WithHeader("Retry-After", Random.Shared.Next(1, 4).ToString(CultureInfo.InvariantCulture));

    /// <summary>An unexpected fault: 500, with the id under which the cause is logged.</summary>
    public ApiResult Internal(Language language, string correlationId) =>
        WithCorrelation(Create(StatusCodes.Status500InternalServerError, "problem.internal", language, "problem.internal.detail", correlationId), correlationId);

    private static ApiResult WithCorrelation(ApiResult result, string? correlationId) =>
        correlationId is null
            ? result
            : new ApiResult(result.Status, (Problem)result.Body! with { CorrelationId = correlationId }, ProblemJson)
                .WithHeader(CorrelationHeader, correlationId);

    /// <summary>The response header that carries the correlation id of a 5xx, beside the body's <c>correlationId</c>.</summary>
    public const string CorrelationHeader = "X-Correlation-Id";
}
