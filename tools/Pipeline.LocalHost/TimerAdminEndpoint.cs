using Pipeline.Reporting.Access;

namespace Pipeline.LocalHost;

/// <summary><c>POST /admin/functions/{name}</c>: runs a timer function now (202), for an admin token, like the real host's admin API.</summary>
public static class TimerAdminEndpoint
{
    public static void MapTimerAdmin(this WebApplication app) =>
        app.MapPost("admin/functions/{name}", async (string name, HttpContext context, TimerRunner timers, Authenticator authenticator, IHostApplicationLifetime lifetime) =>
        {
            var caller = await authenticator.AuthenticateAsync(context.Request.Headers.Authorization.ToString(), context.RequestAborted);
            if (caller?.Role != Role.Admin)
            {
                return Results.StatusCode(caller is null ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden);
            }

            return timers.Fire(name, lifetime.ApplicationStopping) ? Results.Accepted() : Results.NotFound();
        });
}
