using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Access;
using Pipeline.Reporting.Batches;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Reminders;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Storage;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting;

public static class ReportingServiceCollectionExtensions
{
    /// <summary>Registers the reporting library: catalogue, units, rules, storage and access. Both hosts call this.</summary>
    public static IServiceCollection AddReporting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PipelineOptions>()
            .Bind(configuration.GetSection(PipelineOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PipelineOptions>, PipelineOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(_ => IndicatorCatalogue.LoadEmbedded());
        services.AddSingleton(_ => UnitRegistry.LoadEmbedded());
        services.AddSingleton(_ => Messages.LoadEmbedded());
        services.AddSingleton<ReportingClock>();

        services.AddSingleton<ReportShape>();
        services.AddSingleton<ReportValidator>();
        services.AddSingleton<HardRules>();
        services.AddSingleton<SoftRules>();
        services.AddSingleton<AccessPolicy>();

        services.AddSingleton(_ => StorageClientFactory.Create(configuration));
        services.AddSingleton<StorageTables>();
        services.AddSingleton<StorageInitializer>();
        services.AddHostedService(sp => sp.GetRequiredService<StorageInitializer>());
        services.AddSingleton<ReportEntityMapper>();
        services.AddSingleton<UnitStateMapper>();
        services.AddStoragePolicies();
        services.AddSingleton<OptimisticConcurrency>();
        services.AddSingleton<ReportStore>();
        services.AddSingleton<UnitStateCache>();
        services.AddSingleton<UnitWriteLock>();
        services.AddSingleton<RevisionPlanner>();
        services.AddSingleton<ReportWriter>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<TokenDirectory>();
        services.AddSingleton<Enrolments>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<TokenUsage>();
        services.AddSingleton<Officials.ExemptionStore>();
        services.AddSingleton<Officials.BoardReader>();
        services.AddHostedService(sp => sp.GetRequiredService<TokenUsage>());
        services.AddSingleton<Contacts.UnitContactDirectory>();
        services.AddSingleton<Authenticator>();
        services.AddSingleton<SubmissionService>();
        services.AddRollups();
        services.AddReportBatches();
        services.AddReminders(configuration);
        return services;
    }
}
