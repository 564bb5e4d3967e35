using System.Globalization;
using System.Text;

namespace Pipeline.Benchmarks;

/// <summary>
/// docs/performance.md's table from the JSON of one or two runs (before and after a change): one row per figure,
/// in the order of the later run, with each run's value against its baseline, the two ratios, the target and
/// whether the later run met it. With <c>--into FILE</c> the table replaces what stands between the file's
/// <see cref="Begin"/> and <see cref="End"/> markers; otherwise it is printed.
/// </summary>
public static class MarkdownTable
{
    public const string Begin = "<!-- figures:begin -->";
    public const string End = "<!-- figures:end -->";

    /// <summary><c>--markdown BEFORE.json [AFTER.json] [--into FILE]</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var files = args.SkipWhile(a => a != "--markdown").Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        if (files.Count is < 1 or > 2)
        {
            await Console.Error.WriteLineAsync("Usage: --markdown BEFORE.json [AFTER.json] [--into docs/performance.md]");
            return 2;
        }

        var before = await Figures.ReadJsonAsync(files[0]);
        var after = files.Count == 2 ? await Figures.ReadJsonAsync(files[1]) : [];
        var table = Render(before, after);
        var into = Array.IndexOf(args, "--into") is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        if (into is null)
        {
            Console.Write(table);
            return 0;
        }

        var text = await File.ReadAllTextAsync(into);
        var (from, to) = (text.IndexOf(Begin, StringComparison.Ordinal), text.IndexOf(End, StringComparison.Ordinal));
        if (from < 0 || to < from)
        {
            await Console.Error.WriteLineAsync($"{into} has no {Begin} ... {End} markers.");
            return 1;
        }

        await File.WriteAllTextAsync(into, text[..(from + Begin.Length)] + "\n" + table + text[to..]);
        Console.WriteLine($"The table in {into} now holds {Math.Max(before.Count, after.Count)} figures.");
        return 0;
    }

    public static string Render(IReadOnlyList<Figure> before, IReadOnlyList<Figure> after)
    {
        var beforeByName = before.ToDictionary(f => f.Name);
        var afterByName = after.ToDictionary(f => f.Name);
        var names = after.Select(f => f.Name).Concat(before.Select(f => f.Name)).Distinct();
        var text = new StringBuilder()
            .AppendLine($"| figure | before | after | ratio before -> after | target | met ({(after.Count > 0 ? "after" : "before")}) |")
            .AppendLine("|---|---|---|---|---|---|");
        foreach (var name in names)
        {
            var old = beforeByName.GetValueOrDefault(name);
            var now = afterByName.GetValueOrDefault(name);
            var latest = now ?? old!;
            text.Append("| ").Append(name)
                .Append(" | ").Append(Cell(old))
                .Append(" | ").Append(Cell(now))
                .Append(" | ").Append(old is null ? "-" : Ratio(old)).Append(" -> ").Append(now is null ? "-" : Ratio(now))
                .Append(" | ").Append(latest.Target)
                .Append(" | ").Append(latest.Met ? "met" : "**not met**")
                .AppendLine(" |");
        }

        return text.ToString();
    }

    /// <summary>The value with its unit, and its baseline unless it is an absolute limit (baseline 1).</summary>
    private static string Cell(Figure? figure) => figure switch
    {
        null => "-",
        { Baseline: 1 } => $"{Number(figure.Value)} {figure.Unit}",
        _ => $"{Number(figure.Value)} {figure.Unit} (baseline {Number(figure.Baseline)})",
    };

    private static string Ratio(Figure figure) => figure.Ratio.ToString("F2", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString(Math.Abs(value) switch
    {
        >= 1000 => "N0",
        >= 100 => "F0",
        >= 10 => "F1",
        _ => "0.00#",
    }, CultureInfo.InvariantCulture);
}
