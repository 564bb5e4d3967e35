namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>A table of a rollup file: cells are text (string), numbers (decimal) or empty (null).</summary>
/// <param name="Emphasis">Rows (0-based, under the header) printed bold: totals, county headings.</param>
public sealed record RollupTable(
    string Name, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<object?>> Rows, IReadOnlySet<int>? Emphasis = null)
{
    public bool IsEmphasised(int row) => Emphasis?.Contains(row) ?? false;
}
