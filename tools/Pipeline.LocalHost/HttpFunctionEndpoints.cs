using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;
using Pipeline.Functions.Http;

namespace Pipeline.LocalHost;

/// <summary>
/// Serves HTTP-triggered functions the way the Functions host with ASP.NET Core integration does: the
/// trigger's route under the host.json prefix, its methods, a new instance of the function class from
/// DI per call, route values bound to parameters by name, and the returned IActionResult executed. A function
/// that returns several outputs has its <c>[HttpResult]</c> executed, and then its queue outputs written
/// (<see cref="QueueOutputWriter"/>).
/// </summary>
public static partial class HttpFunctionEndpoints
{
    public static IReadOnlyList<HttpFunction> MapHttpFunctions(this WebApplication app, Assembly functionsAssembly, HostSettings host) =>
        app.MapHttpFunctions(FunctionDiscovery.HttpFunctions(functionsAssembly), host);

    /// <summary>
    /// Maps every function the host would serve and returns those; a function on a route the host reserves
    /// (<see cref="ReservedRoutes"/>) is logged as in error and left unmapped, so its route answers 404, as in Azure.
    /// </summary>
    public static IReadOnlyList<HttpFunction> MapHttpFunctions(this WebApplication app, IReadOnlyList<HttpFunction> functions, HostSettings host)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(HttpFunctionEndpoints).FullName!);
        var functionKey = app.Configuration["LocalHost:FunctionKey"];
        var served = new List<HttpFunction>();
        foreach (var function in functions)
        {
            if (ReservedRoutes.Conflicts(function.Route))
            {
                LogFunctionInError(logger, function.Name, function.Route, ReservedRoutes.ConflictMessage);
                continue;
            }

            var binders = function.Method.GetParameters().Select(p => BinderFor(function, p)).ToArray();
            var outputs = Outputs.Of(function, app);
            var pattern = host.RoutePrefix.Length == 0 ? function.Route : $"{host.RoutePrefix}/{function.Route}";
            app.MapMethods(pattern, function.Methods.Select(m => m.ToUpperInvariant()), context =>
                    InvokeAsync(function, binders, outputs, functionKey, context))
                .WithName(function.Name)
                .WithMetadata(function);
            served.Add(function);
        }

        return served;
    }

    private static async Task InvokeAsync(HttpFunction function, Func<HttpContext, object?>[] binders, Outputs outputs, string? functionKey, HttpContext context)
    {
        if (function.AuthLevel != AuthorizationLevel.Anonymous && !string.IsNullOrEmpty(functionKey))
        {
            // Like `func start --enableAuth`: keys are checked only when the developer configured one.
            var presented = context.Request.Headers["x-functions-key"].FirstOrDefault() ?? context.Request.Query["code"].FirstOrDefault();
            if (presented != functionKey)
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
        }

        IActionResult? result;
        object? returned = null;
        try
        {
            returned = await RunAsync(function, binders, context);
            result = returned as IActionResult ?? (returned is null ? null : outputs.HttpResult?.GetValue(returned) as IActionResult);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            // What UnexpectedFaultMiddleware does in the worker: a problem+json 500 with a correlation id, logged once.
            var fault = e is TargetInvocationException { InnerException: { } inner } ? inner : e;
            result = context.RequestServices.GetRequiredService<UnexpectedFaults>().Answer(context, function.Name, fault);
            if (result is null)
            {
                throw;
            }
        }

        if (result is not null)
        {
            await result.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        }

        if (outputs.Queues.Count > 0 && returned is not null)
        {
            // The worker has answered by the time the host writes the output bindings.
            await context.Response.CompleteAsync();
            await outputs.Writer!.WriteAsync(function.Name, outputs.Queues, returned);
        }
    }

    /// <summary>The function's value: its IActionResult, or the object holding its outputs; null for none.</summary>
    private static async Task<object?> RunAsync(HttpFunction function, Func<HttpContext, object?>[] binders, HttpContext context)
    {
        var instance = function.Method.IsStatic
            ? null
            : ActivatorUtilities.CreateInstance(context.RequestServices, function.Method.DeclaringType!);
        var returned = function.Method.Invoke(instance, binders.Select(b => b(context)).ToArray());
        switch (returned)
        {
            case ValueTask<IActionResult> task:
                return await task;
            case Task task:
                await task;
                var declared = function.Method.ReturnType;
                return declared.IsGenericType && declared.GetGenericTypeDefinition() == typeof(Task<>) ? declared.GetProperty("Result")!.GetValue(task) : null;
            default:
                return returned;
        }
    }

    /// <summary>Where a function's HTTP answer sits in what it returns, and its queue output bindings with their writer.</summary>
    private sealed record Outputs(PropertyInfo? HttpResult, IReadOnlyList<QueueOutput> Queues, QueueOutputWriter? Writer)
    {
        public static Outputs Of(HttpFunction function, WebApplication app)
        {
            var (httpResult, queues) = QueueOutput.Of(function.Method, app.Configuration);
            var writer = app.Services.GetService<QueueOutputWriter>();
            return queues.Count > 0 && writer is null
                ? throw new InvalidOperationException($"Function {function.Name} has queue output bindings, and this host has no {nameof(QueueOutputWriter)}.")
                : new Outputs(httpResult, queues, writer);
        }
    }

    private static Func<HttpContext, object?> BinderFor(HttpFunction function, ParameterInfo parameter)
    {
        if (parameter.GetCustomAttribute<HttpTriggerAttribute>() is not null && parameter.ParameterType == typeof(HttpRequest))
        {
            return context => context.Request;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context => context.RequestAborted;
        }

        if (parameter.ParameterType == typeof(string))
        {
            var name = parameter.Name!;
            return context => context.GetRouteValue(name)?.ToString();
        }

        throw new NotSupportedException(
            $"The local host cannot bind parameter '{parameter.Name}' ({parameter.ParameterType.Name}) of function {function.Name}.");
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The function {Function} is in error and is not served: {Reason} (route '{Route}')")]
    private static partial void LogFunctionInError(ILogger logger, string function, string route, string reason);
}
