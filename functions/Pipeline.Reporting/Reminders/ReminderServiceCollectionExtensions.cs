using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Pipeline.Reporting.Rollups;

namespace Pipeline.Reporting.Reminders;

public static class ReminderServiceCollectionExtensions
{
    /// <summary>Reminders and escalation (spec section 8): settings, composing, outbox, sending, the rollup notice.</summary>
    public static IServiceCollection AddReminders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReminderOptions>().Bind(configuration.GetSection(ReminderOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReminderOptions>, ReminderOptionsValidator>();
        services.AddSingleton<ReminderComposer>();
        services.AddSingleton<IRobotFormat, WeComFormat>();
        services.AddSingleton<IRobotFormat, DingTalkFormat>();
        services.AddSingleton<IRobotFormat, WebhookFormat>();
        services.AddSingleton<ReminderOutbox>();
        services.AddSingleton<ReminderLog>();
        services.TryAddSingleton<IUnitContacts, DirectoryUnitContacts>();
        services.AddSingleton<RobotClient>();
        services.AddSingleton(sp => new RobotRateGate(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IOptions<ReminderOptions>>().Value.PerRobotPerMinute));
        services.AddSingleton<ReminderDispatcher>();
        services.AddSingleton<ReminderService>();
        services.AddSingleton<IRollupRevisionListener, RollupRevisionNotifier>();
        // No request logging: the default handler logs request urls, and a robot url carries its key.
        services.AddHttpClient(RobotClient.HttpClientName).RemoveAllLoggers();
        services.AddResiliencePipeline<string, RobotAnswer>(ReminderDispatcher.PipelineName, (builder, context) =>
        {
            var provider = context.ServiceProvider;
            builder.TimeProvider = provider.GetRequiredService<TimeProvider>();
            var dispatcher = provider.GetRequiredService<ReminderDispatcher>();
            builder.AddRetry(new RetryStrategyOptions<RobotAnswer>
            {
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(
                    (args.Outcome.Exception is TimeoutRejectedException or HttpRequestException || args.Outcome.Result?.ShouldRetry == true)
                    && dispatcher.RetryInThisRun(args.Context.Properties.GetValue(ReminderDispatcher.StateKey, null!))),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(dispatcher.DelayAfter(args.Context.Properties.GetValue(ReminderDispatcher.StateKey, null!))),
                OnRetry = args => dispatcher.RecordRetryAsync(
                    args.Context.Properties.GetValue(ReminderDispatcher.StateKey, null!),
                    args.Outcome.Result?.Error ?? (args.Outcome.Exception is TimeoutRejectedException ? "timeout" : "network"),
                    args.Context.CancellationToken),
            });
            builder.AddTimeout(provider.GetRequiredService<IOptions<ReminderOptions>>().Value.AttemptTimeout);
        });
        return services;
    }
}
