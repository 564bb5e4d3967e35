using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
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
/// local host: bearer-token authentication and roles, the reader's language, tokens never in URLs, a per-request
/// storage deadline (<see cref="RequestDeadline"/>), a storage fault, a passed deadline or a write that lost to other
/// writers of its unit on every attempt answered with 503 + Retry-After, and any other fault with a problem+json 500;
/// both 5xx carry a correlation id that is in the log.
/// </summary>
public sealed partial class RequestGuard(Authenticator authenticator, TokenUsage usage, ProblemFactory problems, ILogger<RequestGuard> logger)
{
    private static readonly string[] QueryTokenNames = ["access_token", "token", "bearer"];

    /// <summary>Each function method's declared roles, read once by reflection.</summary>
    private readonly ConcurrentDictionary<(Type Function, string Method), IReadOnlyList<Role>> declaredRoles = new();

    /// <summary>No storage deadline: for the few calls whose storage work grows with the data (an admin's rollup build).</summary>
    public static readonly TimeSpan NoDeadline = Timeout.InfiniteTimeSpan;

    /// <summary>Serves a function declared <see cref="AnonymousAttribute"/>: no token needed.</summary>
    /// <param name="function">The function class calling; with <paramref name="method"/>, where its declaration is read.</param>
    /// <param name="method">The calling function method (filled in by the compiler).</param>
    public Task<IActionResult> AnonymousAsync(
        object function, HttpRequest request, Func<Language, CancellationToken, Task<IActionResult>> body, [CallerMemberName] string method = "")
    {
        if (DeclaredRoles(function, method).Count > 0)
        {
            throw new InvalidOperationException($"{function.GetType().Name}.{method} declares roles; it must call {nameof(AuthorizedAsync)}.");
        }

        return GuardAsync(request, RequestLanguage.Of(request), RequestDeadline.Storage, token => body(RequestLanguage.Of(request), token));
    }

    /// <summary>Serves a function to the roles its <see cref="RolesAttribute"/> declares: 401 without a valid token, 403 for another role.</summary>
    /// <param name="function">The function class calling; with <paramref name="method"/>, where its roles are read.</param>
    /// <param name="storageDeadline">How long the call may wait on storage (<see cref="RequestDeadline"/>); <see cref="NoDeadline"/> for none.</param>
    /// <param name="method">The calling function method (filled in by the compiler).</param>
    public Task<IActionResult> AuthorizedAsync(
        object function, HttpRequest request, Func<ApiCall, Task<IActionResult>> body, TimeSpan? storageDeadline = null, [CallerMemberName] string method = "")
    {
        var roles = DeclaredRoles(function, method);
        if (roles.Count == 0)
        {
            throw new InvalidOperationException($"{function.GetType().Name}.{method} is anonymous; it must call {nameof(AnonymousAsync)}.");
        }

        var language = RequestLanguage.Of(request);
        return GuardAsync(request, language, storageDeadline ?? RequestDeadline.Storage, async cancellationToken =>
        {
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

    private IReadOnlyList<Role> DeclaredRoles(object function, string method) =>
        declaredRoles.GetOrAdd((function.GetType(), method), key => FunctionAccess.RolesOf(FunctionAccess.MethodOf(function, key.Method)));

    private async Task<IActionResult> GuardAsync(HttpRequest request, Language language, TimeSpan storageDeadline, Func<CancellationToken, Task<IActionResult>> body)
    {
        if (QueryTokenNames.Any(request.Query.ContainsKey))
        {
            // A token in a URL ends up in proxy and browser logs; refuse it rather than use it.
            return problems.Create(StatusCodes.Status400BadRequest, "problem.badRequest", language);
        }

        using var deadline = RequestDeadline.Start(request, storageDeadline);
        var aborted = request.HttpContext.RequestAborted;
        try
        {
            return await body(deadline.Token);
        }
        catch (WriteContentionException e) when (!aborted.IsCancellationRequested)
        {
            var correlationId = CorrelationId.Of(request.HttpContext);
            LogContended(request.Path, e.UnitCode, correlationId);
            return problems.Contended(e.UnitCode, language, correlationId);
        }
        catch (Exception e) when (StorageFaults.IsOutage(e) && !aborted.IsCancellationRequested)
        {
            var correlationId = CorrelationId.Of(request.HttpContext);
            LogStorageFault(request.Path, e.GetType().Name, (e as Azure.RequestFailedException)?.Status ?? 0, deadline.HasPassed, correlationId);
            return problems.StorageUnavailable(language, correlationId, deadline.HasPassed ? storageDeadline : null);
        }
        catch (Exception e) when (!aborted.IsCancellationRequested)
        {
            var correlationId = CorrelationId.Of(request.HttpContext);
            LogUnexpected(request.Path, correlationId, e);
            return problems.Internal(language, correlationId);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Storage fault while serving {Path}: {ExceptionType} (status {Status}, storage deadline passed: {DeadlinePassed}, correlation id {CorrelationId}); answered 503")]
    private partial void LogStorageFault(PathString path, string exceptionType, int status, bool deadlinePassed, string correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writers of unit {UnitCode} kept colliding while serving {Path} (correlation id {CorrelationId}); answered 503")]
    private partial void LogContended(PathString path, string unitCode, string correlationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unexpected fault while serving {Path} (correlation id {CorrelationId}); answered 500")]
    private partial void LogUnexpected(PathString path, string correlationId, Exception exception);
}
