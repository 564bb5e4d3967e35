using Pipeline.Functions;

namespace Pipeline.LocalHost;

/// <summary>
/// A development host for the function app: the same function classes, services and host.json, served by
/// Kestrel. Azure Functions Core Tools cannot be installed on these machines; production is Azure Functions.
/// </summary>
public static class LocalFunctionsHost
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var settingsPath = builder.Configuration["LocalHost:Settings"] ?? Path.Combine(Directory.GetCurrentDirectory(), "local.settings.json");
        // local.settings.json sits under the environment and the command line, as with `func start`.
        builder.Configuration.AddLocalSettings(settingsPath);
        builder.Configuration.AddEnvironmentVariables();
        builder.Configuration.AddCommandLine(args);
        var port = builder.Configuration["PIPELINE_PORT"] is { Length: > 0 } p ? p : "7071";
        builder.WebHost.UseUrls(builder.Configuration["LocalHost:Urls"] ?? $"http://127.0.0.1:{port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 100 * 1024 * 1024);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddPipelineFunctions(builder.Configuration);
        var timers = FunctionDiscovery.TimerFunctions(typeof(FunctionsServiceCollectionExtensions).Assembly);
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<TimerRunner>(sp, timers));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<TimerRunner>());
        var queueOptions = QueueHostOptions.Load(Path.Combine(AppContext.BaseDirectory, "host.json"), builder.Configuration);
        builder.Services.AddSingleton(queueOptions);
        builder.Services.AddSingleton<SharedQueueWatcher>();
        builder.Services.AddSingleton<QueueOutputWriter>();
        builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<QueueFunctionRunner>(sp,
            typeof(FunctionsServiceCollectionExtensions).Assembly, queueOptions));
        configure?.Invoke(builder);

        var app = builder.Build();
        var host = HostSettings.Load(Path.Combine(AppContext.BaseDirectory, "host.json"));
        app.MapHttpFunctions(typeof(FunctionsServiceCollectionExtensions).Assembly, host);
        app.MapTimerAdmin();
        return app;
    }
}
