using System.Text;

namespace Pipeline.Reporting.Submissions;

/// <summary>
/// One field of a report besides its values, declared once in <see cref="ReportShape"/>: where it sits in a JSON
/// report (<see cref="Path"/>, also the key of its errors), its CSV column and table property (<see cref="Column"/>),
/// and its limits.
/// </summary>
/// <param name="Slot">The field's position in <see cref="ReportShape.Fields"/> (and in <see cref="ReportInput.FromFields"/>).</param>
/// <param name="Pattern">A regular expression the whole text must match (.NET and JavaScript syntax alike), when there is one.</param>
public sealed record ReportField(
    int Slot,
    string Path,
    string Column,
    ReportFieldType Type,
    bool Required = false,
    int? MaxLength = null,
    bool AllowsLineBreaks = false,
    string? Pattern = null)
{
    /// <summary>The object the field sits in within a JSON report (<c>reporter</c>), or null at the top level.</summary>
    public string? Parent { get; } = Path.IndexOf('.') is var dot and > 0 ? Path[..dot] : null;

    /// <summary>The field's own JSON name (<c>name</c> of <c>reporter.name</c>).</summary>
    public string Name { get; } = Path.IndexOf('.') is var dot and > 0 ? Path[(dot + 1)..] : Path;

    /// <summary>The JSON name as UTF-8, so that the binder matches names without decoding them.</summary>
    internal byte[] Utf8Name { get; } = Encoding.UTF8.GetBytes(Path.IndexOf('.') is var dot and > 0 ? Path[(dot + 1)..] : Path);
}
