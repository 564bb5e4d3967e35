namespace Pipeline.Reporting.Submissions;

/// <summary>What kind of text a report field holds; the form picks its input from it.</summary>
public enum ReportFieldType
{
    UnitCode,
    Date,
    Identifier,
    Text,
    Phone,
}
