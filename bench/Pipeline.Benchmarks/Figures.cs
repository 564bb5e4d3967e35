namespace Pipeline.Benchmarks;

/// <summary>Every figure of the run, printed as each part finishes and again together at the end.</summary>
public sealed class Figures
{
    private readonly List<Figure> all = [];

    public void Add(string name, string measured, string target = "", string ratio = "")
    {
        var figure = new Figure(name, measured, target, ratio);
        all.Add(figure);
        Console.WriteLine($"  {Line(figure)}");
    }

    /// <summary>A ratio with its target: <c>0.31 (target >= 0.9: not met)</c>.</summary>
    public static string Verdict(double ratio, string comparison, double target)
    {
        var met = comparison switch { ">=" => ratio >= target, "<=" => ratio <= target, _ => throw new ArgumentException(comparison) };
        return $"{ratio:F2} ({comparison} {target:0.##}: {(met ? "met" : "NOT MET")})";
    }

    public void PrintSummary()
    {
        Console.WriteLine();
        Console.WriteLine("=== every figure of this run ===");
        Console.WriteLine($"{"figure",-62} {"measured",-44} {"ratio / target"}");
        foreach (var figure in all)
        {
            Console.WriteLine(Line(figure));
        }
    }

    private static string Line(Figure f) =>
        $"{f.Name,-62} {f.Measured,-44} {(f.Ratio.Length > 0 ? f.Ratio : f.Target)}";
}
