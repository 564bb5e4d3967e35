using System.Net;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Reminders;

/// <summary>
/// Start-up checks of the reminder settings, each failure naming its setting. A url or secret is never quoted:
/// they are secrets, and start-up errors reach logs.
/// </summary>
internal sealed class ReminderOptionsValidator(UnitRegistry units) : IValidateOptions<ReminderOptions>
{
    private const string Prefix = "Pipeline:Reminders";

    public ValidateOptionsResult Validate(string? name, ReminderOptions options)
    {
        var failures = new List<string>();
        if (ReminderOptions.ParseTimes(options.Times) is null)
        {
            failures.Add($"{Prefix}:Times '{options.Times}' must be local times HH:mm, comma-separated (e.g. 10:00,16:00,20:00).");
        }

        CheckPositive(failures, options.FirstRetryDelay, "FirstRetryDelay");
        CheckPositive(failures, options.MaxRetryDelay, "MaxRetryDelay");
        CheckPositive(failures, options.AttemptTimeout, "AttemptTimeout");
        if (options.MaxRetryDelay < options.FirstRetryDelay)
        {
            failures.Add($"{Prefix}:MaxRetryDelay must not be shorter than {Prefix}:FirstRetryDelay.");
        }

        if (options.PerRobotPerMinute < 1)
        {
            failures.Add($"{Prefix}:PerRobotPerMinute must be at least 1.");
        }

        for (var i = 0; i < options.Groups.Count; i++)
        {
            CheckGroup(failures, $"{Prefix}:Groups:{i}", options.Groups[i]);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private void CheckGroup(List<string> failures, string setting, ReminderGroupOptions group)
    {
        if (units.Find(group.Scope) is not { Level: UnitLevel.County or UnitLevel.Prefecture })
        {
            failures.Add($"{setting}:Scope '{group.Scope}' must be a county code or the prefecture ({units.Root.Code}).");
        }

        if (ReminderKinds.Parse(group.Kind) is null)
        {
            failures.Add($"{setting}:Kind '{group.Kind}' must be wecom, dingtalk or webhook.");
        }

        if (group.Times is { Length: > 0 } && ReminderOptions.ParseTimes(group.Times) is null)
        {
            failures.Add($"{setting}:Times '{group.Times}' must be local times HH:mm, comma-separated.");
        }

        if (IsUnresolvedReference(group.Url) || IsUnresolvedReference(group.Secret))
        {
            failures.Add($"{setting}: the Url or Secret is an unresolved Key Vault reference: check the app identity's access to the vault.");
        }
        else if (!IsAllowedUrl(group.Url))
        {
            // Never the value: a robot url carries its access key.
            failures.Add($"{setting}:Url must be an absolute https address (http only to a loopback address); the value is not shown.");
        }
    }

    /// <summary>https anywhere; http only to a loopback address (tests and local runs).</summary>
    public static bool IsAllowedUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps
            || (uri.Scheme == Uri.UriSchemeHttp && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var ip) && IPAddress.IsLoopback(ip)))));

    private static bool IsUnresolvedReference(string? value) =>
        value?.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true;

    private static void CheckPositive(List<string> failures, TimeSpan value, string setting)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}:{setting} must be a positive time span (hh:mm:ss).");
        }
    }
}
