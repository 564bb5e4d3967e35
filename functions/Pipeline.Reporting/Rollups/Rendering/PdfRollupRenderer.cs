using Pipeline.Reporting.Catalogue;
using ScottPlot;
using SkiaSharp;

namespace Pipeline.Reporting.Rollups.Rendering;

/// <summary>
/// One printable A4 landscape page: title, date and revision, completeness, the county table with the
/// key indicators, the missing units, and a bar chart of the key indicators (ScottPlot on SkiaSharp's PDF canvas).
/// </summary>
public sealed class PdfRollupRenderer(RollupTables tables, IndicatorCatalogue catalogue, PdfFontLocator fonts) : IRollupRenderer
{
    private const float PageWidth = 842;
    private const float PageHeight = 595;
    private const float Margin = 36;
    private const float RowHeight = 17;
    private const int MaxNamesOnLine = 200;

    public RenderedFile Render(RollupDocument rollup)
    {
        using var buffer = new MemoryStream();
        using (var document = SKDocument.CreatePdf(buffer, new SKDocumentPdfMetadata
        {
            Title = tables.Title(rollup) + " " + rollup.Date,
            Creator = "Pipeline",
            Producer = "SkiaSharp",
            Creation = rollup.GeneratedAt?.UtcDateTime,
            Modified = rollup.GeneratedAt?.UtcDateTime,
        }))
        {
            var canvas = document.BeginPage(PageWidth, PageHeight);
            var y = DrawHeader(canvas, rollup);
            y = DrawTable(canvas, rollup, y + 8);
            DrawChart(canvas, rollup, y + 10);
            document.EndPage();
            document.Close();
        }

        return new RenderedFile("pdf", "rollup.pdf", "application/pdf", buffer.ToArray());
    }

    private IReadOnlyList<Indicator> KeyIndicators => catalogue.KeyIndicators.Select(k => catalogue[k]).ToList();

    private SKFont Font(float size) => new(fonts.Typeface, size) { Embolden = false, Subpixel = true };

    private float DrawHeader(SKCanvas canvas, RollupDocument rollup)
    {
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var title = Font(20);
        using var body = Font(10.5f);
        Text(canvas, tables.Title(rollup), PageWidth / 2, Margin + 14, SKTextAlign.Center, title, ink);
        Text(canvas, tables.Subtitle(rollup), PageWidth / 2, Margin + 34, SKTextAlign.Center, body, ink);
        Text(canvas, tables.CompletenessLine(rollup.Completeness), Margin, Margin + 56, SKTextAlign.Left, body, ink);
        // One line holds a few dozen names: join only as many as could show, not every missing unit of a large area.
        var missing = rollup.Completeness.Missing.Count == 0
            ? tables.Text("rollup.noneMissing")
            : tables.Text("rollup.sheet.missing") + "：" + string.Join("、", rollup.Completeness.Missing.Take(MaxNamesOnLine).Select(m => m.Name));
        Text(canvas, Fit(missing, body, PageWidth - 2 * Margin), Margin, Margin + 72, SKTextAlign.Left, body, ink);
        return Margin + 78;
    }

    private float DrawTable(SKCanvas canvas, RollupDocument rollup, float top)
    {
        var table = tables.Summary(rollup, KeyIndicators);
        // The code column is left out on paper; the change and cumulative rows are kept.
        var headers = table.Headers.Skip(1).ToList();
        var rows = table.Rows.Select(r => r.Skip(1).ToList()).ToList();
        var width = PageWidth - 2 * Margin;
        var first = 90f;
        var other = (width - first) / (headers.Count - 1);
        float X(int column) => Margin + (column == 0 ? 0 : first + (column - 1) * other);
        float W(int column) => column == 0 ? first : other;

        using var text = Font(9);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var line = new SKPaint { Color = SKColors.Gray, StrokeWidth = 0.5f, Style = SKPaintStyle.Stroke };
        using var shade = new SKPaint { Color = new SKColor(235, 240, 248), Style = SKPaintStyle.Fill };
        var y = top;
        canvas.DrawRect(Margin, y, width, RowHeight * 2, shade);
        for (var c = 0; c < headers.Count; c++)
        {
            // Long indicator labels take two lines.
            var (one, two) = Split(headers[c], text, W(c) - 4);
            Text(canvas, one, X(c) + W(c) / 2, y + (two.Length == 0 ? RowHeight + 4 : 12), SKTextAlign.Center, text, ink);
            Text(canvas, two, X(c) + W(c) / 2, y + RowHeight + 10, SKTextAlign.Center, text, ink);
        }

        y += RowHeight * 2;
        foreach (var row in rows)
        {
            for (var c = 0; c < row.Count; c++)
            {
                var cell = row[c] switch { decimal n => RollupTables.Number(n), string s => s, _ => "" };
                if (c == 0)
                {
                    Text(canvas, Fit(cell, text, W(c) - 4), X(c) + 3, y + 12, SKTextAlign.Left, text, ink);
                }
                else
                {
                    Text(canvas, cell, X(c) + W(c) - 3, y + 12, SKTextAlign.Right, text, ink);
                }
            }

            canvas.DrawLine(Margin, y, Margin + width, y, line);
            y += RowHeight;
        }

        canvas.DrawRect(Margin, top, width, y - top, line);
        for (var c = 1; c < headers.Count; c++)
        {
            canvas.DrawLine(X(c), top, X(c), y, line);
        }

        return y;
    }

    private void DrawChart(SKCanvas canvas, RollupDocument rollup, float top)
    {
        var indicators = KeyIndicators;
        var plot = new Plot();
        if (fonts.Path is not null)
        {
            plot.Font.Set(PdfFontLocator.ChartFontName);
        }

        var bars = indicators.Select((indicator, i) =>
        {
            var reported = rollup.Totals.TryGetValue(indicator.Key, out var value);
            return new Bar
            {
                Position = i,
                Value = (double)value,
                Label = reported ? RollupTables.Number(value) : "—",
                FillColor = new Color(70, 110, 170),
            };
        }).ToList();
        var plottable = plot.Add.Bars(bars);
        plottable.ValueLabelStyle.FontSize = 11;
        if (fonts.Path is not null)
        {
            plottable.ValueLabelStyle.FontName = PdfFontLocator.ChartFontName;
        }

        plot.Axes.Bottom.SetTicks(indicators.Select((_, i) => (double)i).ToArray(), indicators.Select(i => i.LabelZh).ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Margins(bottom: 0, top: 0.2);
        plot.Title(tables.Text("rollup.chart"), 13);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;

        var height = (int)(PageHeight - Margin - top);
        if (height < 120)
        {
            return;
        }

        // The chart goes in as a picture at 3x the page resolution, for the same reason as the text.
        const int Scale = 3;
        var width = (int)(PageWidth - 2 * Margin);
        using var surface = SKSurface.Create(new SKImageInfo(width * Scale, height * Scale));
        surface.Canvas.Scale(Scale);
        plot.Render(surface.Canvas, width, height);
        using var image = surface.Snapshot();
        canvas.DrawImage(image, SKRect.Create(Margin, top, width, height));
    }

    /// <summary>
    /// Text drawn as outlines: Skia would embed the whole CJK font (megabytes, a TrueType collection is not
    /// subset), so the page carries glyph paths instead and needs no font to print.
    /// </summary>
    private static void Text(SKCanvas canvas, string text, float x, float y, SKTextAlign align, SKFont font, SKPaint paint)
    {
        if (text.Length == 0)
        {
            return;
        }

        var width = font.MeasureText(text);
        var left = align switch { SKTextAlign.Center => x - width / 2, SKTextAlign.Right => x - width, _ => x };
        using var path = font.GetTextPath(text, new SKPoint(left, y));
        canvas.DrawPath(path, paint);
    }

    private static string Fit(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width)
        {
            return text;
        }

        // The longest prefix that fits with the ellipsis, by bisection: a few measurements, not one per character.
        int fits = 1, tooLong = text.Length;
        while (tooLong - fits > 1)
        {
            var middle = (fits + tooLong) / 2;
            if (font.MeasureText(string.Concat(text.AsSpan(0, middle), "…")) <= width)
            {
                fits = middle;
            }
            else
            {
                tooLong = middle;
            }
        }

        return text[..fits] + "…";
    }

    private static (string One, string Two) Split(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width)
        {
            return (text, "");
        }

        var cut = text.Length;
        while (cut > 1 && font.MeasureText(text[..cut]) > width)
        {
            cut--;
        }

        return (text[..cut], Fit(text[cut..], font, width));
    }
}
