using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Access;

public abstract record IssueOutcome
{
    public sealed record Issued(IReadOnlyList<IssuedTokenLink> Tokens) : IssueOutcome;

    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : IssueOutcome;

    /// <summary>Outside the caller's rights: a message code and its argument.</summary>
    public sealed record Forbidden(string DetailCode, string Argument) : IssueOutcome;
}
