using System.Globalization;
using System.Text;
using CsvHelper;
using Microsoft.IO;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// The summary (a row per county, or per township of a county) as CSV, UTF-8 with a BOM so that Excel and WPS read the
/// Chinese text. The last column says when the rollup is provisional, on every row, so no reader of any row misses it.
/// </summary>
public sealed class CsvRollupRenderer(RollupTables tables, RecyclableMemoryStreamManager buffers) : BufferedRollupRenderer(buffers)
{
    public override string Format => "csv";

    public override string Name => "rollup.csv";

    public override string ContentType => "text/csv; charset=utf-8";

    protected override void Write(RollupDocument rollup, Stream buffer)
    {
        var table = tables.Summary(rollup);
        var status = rollup.Provisional ? tables.Text("rollup.provisional") : "";
        using (var writer = new StreamWriter(buffer, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true))
        using (var csv = new CsvWriter(writer, CultureInfo.InvariantCulture))
        {
            foreach (var header in table.Headers)
            {
                csv.WriteField(SpreadsheetText.Safe(header));
            }

            csv.WriteField(tables.Text("rollup.column.status"));

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

                csv.WriteField(status);

                csv.NextRecord();
            }
        }
    }
}
