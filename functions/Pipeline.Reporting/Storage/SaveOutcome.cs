namespace Pipeline.Reporting.Storage;

public enum SaveOutcome
{
    Created,
    Updated,
    Unchanged,
}
