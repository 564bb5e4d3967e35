using Pipeline.Reporting.Validation;

namespace Pipeline.Reporting.Batches;

/// <summary>What a batch body looks like before any row is validated: how many rows, or why it cannot be read at all.</summary>
public sealed record BatchEnvelope(int Rows, IReadOnlyList<FieldError> Errors)
{
    public bool IsReadable => Errors.Count == 0;
}
