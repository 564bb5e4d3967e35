using System.Text;
using Pipeline.Reporting.Catalogue;

namespace Pipeline.Testing;

/// <summary>A CSV batch of a given size as a county's spreadsheet would export it: BOM, CRLF, every township, long quoted notes.</summary>
public static class LargeUpload
{
    public static byte[] Csv(IndicatorCatalogue catalogue, IReadOnlyList<string> units, int bytes, int maxRows = int.MaxValue)
    {
        var header = string.Join(",", new[] { "unitCode", "reportDate" }.Concat(catalogue.Indicators.Select(i => i.Key)).Append("notes"));
        var values = string.Join(",", catalogue.Indicators.Select((_, i) => (i % 3 == 0 ? "" : (i * 7).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        var rowCount = Math.Min(maxRows, bytes / 1600);
        var notesBytes = Math.Max(10, (bytes / Math.Max(1, rowCount)) - 40 - values.Length);
        var notes = new string('卡', Math.Min(450, notesBytes / 3)) + new string('x', Math.Max(0, notesBytes - (Math.Min(450, notesBytes / 3) * 3)));
        var text = new StringBuilder(header).Append("\r\n");
        var size = Encoding.UTF8.GetByteCount(text.ToString());
        for (var row = 0; row < maxRows; row++)
        {
            var line = $"{units[row % units.Count]},2026-11-27,{values},\"{notes}\"\r\n";
            size += Encoding.UTF8.GetByteCount(line);
            if (size > bytes - 3)
            {
                break;
            }

            text.Append(line);
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }
}
