using Microsoft.Extensions.DependencyInjection;

namespace Pipeline.Reporting.Batches;

public static class BatchServiceCollectionExtensions
{
    /// <summary>Batches: reading CSV/JSON bodies, accepting them onto the queue, processing them from it.</summary>
    public static IServiceCollection AddReportBatches(this IServiceCollection services)
    {
        services.AddSingleton<BatchPayloadReader>();
        services.AddSingleton<BatchStore>();
        services.AddSingleton<BatchSubmitter>();
        services.AddSingleton<BatchProcessor>();
        services.AddSingleton<PoisonQueue>();
        services.AddSingleton<BatchTemplate>();
        return services;
    }
}
