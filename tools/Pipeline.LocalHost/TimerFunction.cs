using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace Pipeline.LocalHost;

/// <summary>A timer-triggered function as its own attributes declare it; the schedule may name a setting as <c>%Name%</c>.</summary>
public sealed record TimerFunction(string Name, MethodInfo Method, string Schedule, bool UseMonitor, bool RunOnStartup)
{
    /// <summary>
    /// The NCRONTAB schedule with <c>%Setting%</c> names resolved from configuration: six fields (with seconds)
    /// or five, evaluated in UTC, as the Functions host does.
    /// </summary>
    public CrontabSchedule ParseSchedule(IConfiguration configuration)
    {
        var expression = System.Text.RegularExpressions.Regex.Replace(Schedule, "%([^%]+)%", m =>
            configuration[m.Groups[1].Value] is { Length: > 0 } value
                ? value
                : throw new InvalidOperationException($"Timer function {Name}: setting '{m.Groups[1].Value}' of schedule '{Schedule}' is not set."));
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        return CrontabSchedule.Parse(expression, new CrontabSchedule.ParseOptions { IncludingSeconds = fields == 6 });
    }

    public static TimerFunction? From(string name, MethodInfo method)
    {
        var trigger = method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).FirstOrDefault(a => a is not null);
        return trigger is null ? null : new TimerFunction(name, method, trigger.Schedule, trigger.UseMonitor, trigger.RunOnStartup);
    }
}
