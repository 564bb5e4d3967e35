using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting.Rollups.Rendering;

namespace Pipeline.Reporting.Rollups;

public static class RollupServiceCollectionExtensions
{
    /// <summary>The nightly rollup: reading, building, the four renderers, storage, stale marking.</summary>
    public static IServiceCollection AddRollups(this IServiceCollection services)
    {
        services.AddSingleton<DayReader>();
        services.AddSingleton(_ => RollupBufferPool.Create());
        services.AddSingleton<RollupIndex>();
        services.AddSingleton<RollupStore>();
        services.AddSingleton<RollupBuilder>();
        services.AddSingleton<RollupService>();
        services.AddSingleton<RollupScheduler>();
        services.AddSingleton<RollupLinks>();
        services.AddSingleton<RollupTables>();
        services.AddSingleton<PdfFontLocator>();
        services.AddSingleton<IRollupRenderer, JsonRollupRenderer>();
        services.AddSingleton<IRollupRenderer, XlsxRollupRenderer>();
        services.AddSingleton<IRollupRenderer, CsvRollupRenderer>();
        services.AddSingleton<IRollupRenderer, PdfRollupRenderer>();
        return services;
    }
}
