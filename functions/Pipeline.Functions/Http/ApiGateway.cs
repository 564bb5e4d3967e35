using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Storage;

namespace Pipeline.Functions.Http;

/// <summary>
/// The door every HTTP function goes through, in the worker, so the same rules hold in Azure and in the
/// local host: bearer-token authentication and roles, the reader's language, tokens never in URLs, and a
/// storage fault answered with 503 + Retry-After instead of an error page.
/// </summary>
public sealed partial class ApiGateway(Authenticator authenticator, TokenUsage usage, ProblemFactory problems, ILogger<ApiGateway> logger)
{
    private static readonly string[] QueryTokenNames = ["access_token", "token", "bearer"];

    public Task<IActionResult> AnonymousAsync(HttpRequest request, Func<Language, CancellationToken, Task<IActionResult>> body) =>
        GuardAsync(request, RequestLanguage.Of(request), () => body(RequestLanguage.Of(request), request.HttpContext.RequestAborted));

    public Task<IActionResult> AuthorizedAsync(HttpRequest request, Role[] roles, Func<ApiCall, Task<IActionResult>> body)
    {
        var language = RequestLanguage.Of(request);
        return GuardAsync(request, language, async () =>
        {
            var cancellationToken = request.HttpContext.RequestAborted;
            var caller = await authenticator.AuthenticateAsync(request.Headers.Authorization.ToString(), cancellationToken);
            if (caller is null)
            {
                return problems.Unauthorized(language);
            }

            usage.Touch(caller.TokenId);

            if (!roles.Contains(caller.Role))
            {
                return problems.ForbiddenRole(string.Join(" / ", roles.Select(r => r.ToString().ToLowerInvariant())), language);
            }

            return await body(new ApiCall(request, language, caller, cancellationToken));
        });
    }

    private async Task<IActionResult> GuardAsync(HttpRequest request, Language language, Func<Task<IActionResult>> body)
    {
        if (QueryTokenNames.Any(request.Query.ContainsKey))
        {
            // A token in a URL ends up in proxy and browser logs; refuse it rather than use it.
            return problems.Create(StatusCodes.Status400BadRequest, "problem.badRequest", language);
        }

        try
        {
            return await body();
        }
        catch (Exception e) when (StorageFaults.IsOutage(e) && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            LogStorageFault(request.Path, e.GetType().Name, (e as Azure.RequestFailedException)?.Status ?? 0);
            return problems.StorageUnavailable(language);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage fault while serving {Path}: {ExceptionType} (status {Status}); answered 503")]
    private partial void LogStorageFault(PathString path, string exceptionType, int status);
}
