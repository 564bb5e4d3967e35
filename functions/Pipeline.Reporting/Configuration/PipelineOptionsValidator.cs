using Microsoft.Extensions.Options;

namespace Pipeline.Reporting.Configuration;

/// <summary>Checks at start-up what data annotations cannot: the time zone exists, the admin token is real.</summary>
internal sealed class PipelineOptionsValidator : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.ReportingTimeZone, out _))
        {
            return ValidateOptionsResult.Fail($"Pipeline:ReportingTimeZone '{options.ReportingTimeZone}' is not a known time zone.");
        }

        if (!Submissions.ReportDate.TryParse(options.CampaignStart, out _))
        {
            return ValidateOptionsResult.Fail($"Pipeline:CampaignStart '{options.CampaignStart}' is not a yyyy-MM-dd date.");
        }

        if (options.AdminToken?.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase) == true)
        {
            // App Service passes the reference text through when it cannot resolve it; that text must never work as a token.
            return ValidateOptionsResult.Fail("Pipeline:AdminToken is an unresolved Key Vault reference: check the app identity's access to the vault.");
        }

        return ValidateOptionsResult.Success;
    }
}
