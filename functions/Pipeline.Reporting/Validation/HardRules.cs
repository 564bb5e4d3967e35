using FluentValidation;
using FluentValidation.Internal;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Validation;

/// <summary>
/// The rules a report must pass to be stored (those of <see cref="SoftRules"/> only warn): runs them
/// (<see cref="ReportValidator"/>) and turns a passing input into a <see cref="ValidReport"/>.
/// </summary>
public sealed class HardRules(ReportValidator validator)
{
    /// <summary>Every rule, the correction window included: what reporters and officials are held to.</summary>
    private static readonly IValidatorSelector WithinWindow = new RuleSetSelector(ReportValidator.CorrectionWindow);

    /// <summary>Every rule but the correction window: an admin's backfill.</summary>
    private static readonly IValidatorSelector Backfill = new RuleSetSelector();

    public ValidationOutcome Validate(ReportInput input, bool backfillAllowed)
    {
        var context = new ValidationContext<ReportInput>(input, new PropertyChain(), backfillAllowed ? Backfill : WithinWindow);
        var result = validator.Validate(context);
        if (!result.IsValid)
        {
            var errors = new List<FieldError>(result.Errors.Count);
            foreach (var failure in result.Errors)
            {
                errors.Add(new FieldError(failure.PropertyName, failure.ErrorCode, (object?[])failure.CustomState));
            }

            return new ValidationOutcome(null, errors);
        }

        // Every value that is not blank passed the rules, so it is a number.
        var values = new Dictionary<string, decimal>(input.Values.Count, StringComparer.Ordinal);
        foreach (var (key, value) in input.Values)
        {
            if (!value.IsBlank)
            {
                values.Add(key, value.Number!.Value);
            }
        }

        var report = new ValidReport(
            input.UnitCode!,
            input.Date.Value,
            input.SubmissionId,
            values,
            input.Notes ?? "",
            input.ReporterName ?? "",
            input.ReporterPhone?.Trim() ?? "");
        return new ValidationOutcome(report, []);
    }
}
