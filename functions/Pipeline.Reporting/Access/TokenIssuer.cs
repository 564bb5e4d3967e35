using Microsoft.Extensions.Options;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Units;
using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Access;

/// <summary>
/// Issues tokens as section 7 allows (admin: any role and scope; an official: reporter tokens for the townships of
/// its scope), each with a one-time enrolment link: <c>{base}/api/form#enrol=code</c> for a reporter,
/// <c>{base}/api/console#enrol=code</c> for an official or admin.
/// </summary>
public sealed class TokenIssuer(
    TokenStore tokens, TokenDirectory directory, Enrolments enrolments, AccessPolicy access, UnitRegistry units, IOptions<PipelineOptions> options)
{
    public const int MaxLabel = 100;
    public const int MaxContactName = 50;

    public async Task<IssueOutcome> IssueAsync(Caller caller, TokenOrder order, string requestBaseUrl, CancellationToken cancellationToken)
    {
        if (!RoleNames.TryParse(order.Role, out var role))
        {
            return new IssueOutcome.Invalid([new FieldError("role", "tokenRole", [])]);
        }

        var errors = new List<FieldError>();
        var label = order.Label ?? "";
        CheckText(errors, "label", label, MaxLabel);
        var contactName = order.ContactName?.Trim() ?? "";
        CheckText(errors, "contactName", contactName, MaxContactName);
        var contactPhone = order.ContactPhone?.Trim() ?? "";
        if (contactPhone.Length > 0 && !ReportValidator.IsPlausiblePhone(contactPhone))
        {
            errors.Add(new FieldError("contactPhone", "phoneFormat", []));
        }

        var scopeFits = order.AllWithoutToken
            ? role == Role.Reporter && units.Find(order.Scope) is { Level: not UnitLevel.Township }
            : order.Scope is not null && access.IsValidScope(role, order.Scope);
        if (!scopeFits)
        {
            errors.Add(new FieldError("scope", "tokenScope", [order.Scope, order.Role]));
        }

        if (errors.Count > 0)
        {
            return new IssueOutcome.Invalid(errors);
        }

        if (!access.CanIssue(caller, role, order.Scope!))
        {
            return caller.Role == Role.Official && role != Role.Reporter
                ? new IssueOutcome.Forbidden("problem.forbidden.tokenRole", order.Role!)
                : new IssueOutcome.Forbidden("problem.forbidden.area", order.Scope!);
        }

        var baseUrl = (options.Value.PublicBaseUrl is { Length: > 0 } configured ? configured : requestBaseUrl).TrimEnd('/');
        var contact = new TokenContact(NullIfEmpty(contactName), NullIfEmpty(contactPhone));
        if (!order.AllWithoutToken)
        {
            return new IssueOutcome.Issued([await IssueOneAsync(role, order.Scope!, label, contact, baseUrl, cancellationToken)]);
        }

        var townships = units.TownshipsWithin(order.Scope!);
        var covered = await directory.UnitsWithReporterTokensAsync(townships.Select(t => t.Code).ToList(), cancellationToken);
        var issued = new List<IssuedTokenLink>();
        foreach (var township in townships.Where(t => !covered.Contains(t.Code)))
        {
            issued.Add(await IssueOneAsync(Role.Reporter, township.Code, label.Length > 0 ? label : township.NameZh, contact, baseUrl, cancellationToken));
        }

        return new IssueOutcome.Issued(issued);
    }

    private async Task<IssuedTokenLink> IssueOneAsync(Role role, string scope, string label, TokenContact contact, string baseUrl, CancellationToken cancellationToken)
    {
        var token = await tokens.IssueAsync(role, scope, label, cancellationToken, contact);
        var code = await enrolments.CreateAsync(token.Id, cancellationToken);
        var page = role == Role.Reporter ? "form" : "console";
        return new IssuedTokenLink(token, contact, $"{baseUrl}/api/{page}#enrol={code.Code}", code.ExpiresAt);
    }

    private static void CheckText(List<FieldError> errors, string field, string text, int max)
    {
        if (text.Length > max)
        {
            errors.Add(new FieldError(field, "tooLong", [max]));
        }
        else if (text.Any(c => ReportValidator.IsForbidden(c, allowLineBreaks: false)))
        {
            errors.Add(new FieldError(field, "controlCharacters", []));
        }
    }

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
