using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Functions.Http;
using Pipeline.Reporting;
using Pipeline.Reporting.Form;

namespace Pipeline.Functions;

public static class FunctionsServiceCollectionExtensions
{
    /// <summary>Everything the functions need: the reporting library plus the HTTP edge. The local host calls this too.</summary>
    public static IServiceCollection AddPipelineFunctions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddReporting(configuration);
        services.AddSingleton<ProblemFactory>();
        services.AddSingleton<RequestGuard>();
        services.AddSingleton<UnexpectedFaults>();
        services.AddSingleton<ReportViews>();
        services.AddSingleton<ReportReader>();
        services.AddSingleton<RollupEndpoints>();
        services.AddSingleton<BatchViews>();
        services.AddSingleton<FormAssets>();
        services.AddSingleton<BoardViews>();
        services.AddSingleton<Reporting.Officials.ConsoleAssets>();
        return services;
    }
}
