namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// Where a table row's cells go, one after the other in column order: text, a number or an empty cell. A large area's
/// unit table (100,000 rows of 50 cells) is written and measured through this, never as arrays of boxed cells.
/// </summary>
public interface ITableCells
{
    void Text(string text);

    void Number(decimal value);

    void Empty();
}
