using Pipeline.Reporting.Catalogue;

namespace Pipeline.Reporting.Submissions;

/// <summary>
/// A report's shape, declared once: its fields (JSON path, CSV column and table property, limits), its values (the
/// catalogue's indicators, with their bounds) and the cross-field rules between them. The JSON binder, the CSV
/// reader, the validator, the entity mapper and the form (through <c>GET /api/report-shape</c>) all read it.
/// </summary>
public sealed class ReportShape(IndicatorCatalogue catalogue)
{
    /// <summary>The JSON object that holds a report's indicator values, keyed by indicator key.</summary>
    public const string Values = "values";

    /// <summary>
    /// A submission id: a letter or digit, then letters, digits and dashes, and nothing after them (<c>\z</c>: .NET's
    /// <c>$</c> also matches before a final newline). The form gets it through <see cref="ReportShapeView"/>.
    /// </summary>
    public const string SubmissionIdPattern = @"^[A-Za-z0-9][A-Za-z0-9\-]{0,63}\z";

    /// <summary><see cref="SubmissionIdPattern"/> for JavaScript, whose <c>$</c> (without the m flag) is .NET's <c>\z</c>.</summary>
    public static string JavaScriptPattern(string pattern) => pattern.Replace(@"\z", "$", StringComparison.Ordinal);

    public static readonly ReportField UnitCode = new(0, "unitCode", "unitCode", ReportFieldType.UnitCode, Required: true);

    public static readonly ReportField ReportDate = new(1, "reportDate", "reportDate", ReportFieldType.Date, Required: true);

    public static readonly ReportField SubmissionId = new(2, "submissionId", "submissionId", ReportFieldType.Identifier, MaxLength: 64, Pattern: SubmissionIdPattern);

    public static readonly ReportField Notes = new(3, "notes", "notes", ReportFieldType.Text, MaxLength: 500, AllowsLineBreaks: true);

    public static readonly ReportField ReporterName = new(4, "reporter.name", "reporterName", ReportFieldType.Text, MaxLength: 50);

    public static readonly ReportField ReporterPhone = new(5, "reporter.phone", "reporterPhone", ReportFieldType.Phone);

    /// <summary>Every field but the values, in the order their rules run and their errors are listed.</summary>
    public static readonly IReadOnlyList<ReportField> Fields = [UnitCode, ReportDate, SubmissionId, Notes, ReporterName, ReporterPhone];

    /// <summary>The JSON objects that group fields (<c>reporter</c>), each once.</summary>
    public static readonly IReadOnlyList<string> Parents = Fields.Select(f => f.Parent).OfType<string>().Distinct().ToArray();

    public IndicatorCatalogue Catalogue => catalogue;

    /// <summary>The indicators a report may carry, in catalogue order.</summary>
    public IReadOnlyList<Indicator> Indicators => catalogue.Indicators;

    /// <summary>"A value may not exceed the sum of others", checked where all of them were given and accepted.</summary>
    public IReadOnlyList<IndicatorConstraint> CrossFieldRules => catalogue.Constraints;

    /// <summary>The error key and JSON path of an indicator's value.</summary>
    public static string ValuePath(string key) => Values + "." + key;

    /// <summary>The field a CSV column or table property holds, or null (an indicator key, or not part of a report).</summary>
    public static ReportField? FieldForColumn(string column)
    {
        foreach (var field in Fields)
        {
            if (string.Equals(field.Column, column, StringComparison.Ordinal))
            {
                return field;
            }
        }

        return null;
    }

    /// <summary>What a CSV column holds: a field, an indicator's value, or nothing of a report (null, null).</summary>
    public (ReportField? Field, Indicator? Indicator) Column(string name) =>
        FieldForColumn(name) is { } field ? (field, null)
        : catalogue.TryGet(name, out var indicator) ? (null, indicator)
        : (null, null);
}
