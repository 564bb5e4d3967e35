using System.Globalization;
using System.Text;
using CsvHelper;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>The county summary as CSV, UTF-8 with a BOM so that Excel and WPS read the Chinese text.</summary>
public sealed class CsvRollupRenderer(RollupTables tables) : IRollupRenderer
{
    public RenderedFile Render(RollupDocument rollup)
    {
        var table = tables.Summary(rollup);
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var header in table.Headers)
            {
                csv.WriteField(SpreadsheetText.Safe(header));
            }

            csv.NextRecord();
            foreach (var row in table.Rows)
            {
                foreach (var cell in row)
                {
                    csv.WriteField(cell switch
                    {
                        decimal number => RollupTables.Number(number),
                        string text => SpreadsheetText.Safe(text),
                        _ => "",
                    });
                }

                csv.NextRecord();
            }
        }

        return new RenderedFile("csv", "rollup.csv", "text/csv; charset=utf-8", buffer.ToArray());
    }
}
