using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace Pipeline.Functions.Http;

/// <summary>
/// Worker middleware for the Functions host (Program.cs): an HTTP function's exception that nothing caught becomes
/// a problem+json 500 with a correlation id (<see cref="UnexpectedFaults"/>) instead of the host's bare 500.
/// Other triggers keep failing as they do, so the host retries or poisons queue messages as designed.
/// </summary>
public sealed class UnexpectedFaultMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception e) when (context.GetHttpContext() is { } http && !http.RequestAborted.IsCancellationRequested)
        {
            var answer = context.InstanceServices.GetRequiredService<UnexpectedFaults>().Answer(http, context.FunctionDefinition.Name, e);
            if (answer is null)
            {
                throw;
            }

            // The ASP.NET Core integration executes the invocation's result after this middleware returns.
            context.GetInvocationResult().Value = answer;
        }
    }
}
