namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>Table rows that write their cells straight into <see cref="ITableCells"/>, without making the row's array of cells.</summary>
public interface IWritableRows : IReadOnlyList<IReadOnlyList<object?>>
{
    void Write(int row, ITableCells cells);
}
