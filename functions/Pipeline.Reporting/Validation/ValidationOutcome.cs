using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Validation;

public sealed record ValidationOutcome(ValidReport? Report, IReadOnlyList<FieldError> Errors)
{
    public bool IsValid => Report is not null;
}
