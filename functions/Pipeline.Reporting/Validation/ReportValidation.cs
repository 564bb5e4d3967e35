using FluentValidation;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Validation;

/// <summary>Runs the hard rules and turns a passing input into a <see cref="ValidReport"/>.</summary>
public sealed class ReportValidation(ReportValidator validator)
{
    public ValidationOutcome Validate(ReportInput input, bool backfillAllowed)
    {
        var context = new ValidationContext<ReportInput>(input);
        if (backfillAllowed)
        {
            context.RootContextData[ReportValidator.BackfillAllowed] = true;
        }

        var result = validator.Validate(context);
        if (!result.IsValid)
        {
            var errors = result.Errors
                .Select(f => new FieldError(f.PropertyName, f.ErrorCode, (object?[])f.CustomState))
                .ToList();
            return new ValidationOutcome(null, errors);
        }

        ReportValidator.TryParseDate(input.ReportDate!, out var date);
        var values = input.Values
            .Where(v => !v.Value.IsBlank)
            .ToDictionary(v => v.Key, v => v.Value.Number!.Value, StringComparer.Ordinal);
        var report = new ValidReport(
            input.UnitCode!,
            date,
            input.SubmissionId,
            values,
            input.Notes ?? "",
            input.ReporterName ?? "",
            input.ReporterPhone?.Trim() ?? "");
        return new ValidationOutcome(report, []);
    }
}

public sealed record ValidationOutcome(ValidReport? Report, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Report is not null;
}
