using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Benchmarks;

/// <summary>
/// Every figure of the run, printed as each part finishes and again together at the end, and written as one JSON
/// array (<c>--json FILE</c>). Notes are console lines that serve the reader of the run (the setup's times, what a
/// baseline was made of) but are no figure.
/// </summary>
public sealed class Figures
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }; // ">= 0.8" as written, not "\u003E= 0.8"

    private readonly List<Figure> all = [];

    public IReadOnlyList<Figure> All => all;

    public void Add(Figure figure)
    {
        all.Add(figure);
        Console.WriteLine($"  {Line(figure)}");
    }

    public static void Note(string text) => Console.WriteLine($"  . {text}");

    public void PrintSummary()
    {
        Console.WriteLine();
        Console.WriteLine("=== every figure of this run ===");
        Console.WriteLine($"{"figure",-66} {"value",12} {"unit",-10} {"baseline",12}  {"ratio",7}  target");
        foreach (var figure in all)
        {
            Console.WriteLine(Line(figure));
        }
    }

    public async Task WriteJsonAsync(string path)
    {
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, all, JsonOptions);
    }

    public static async Task<IReadOnlyList<Figure>> ReadJsonAsync(string path)
    {
        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<List<Figure>>(file, JsonOptions)
            ?? throw new InvalidDataException($"{path} holds no figures.");
    }

    private static string Line(Figure f) =>
        $"{f.Name,-66} {f.Value,12:0.###} {f.Unit,-10} {f.Baseline,12:0.###}  {f.Ratio,7:0.000}  {f.Target}: {(f.Met ? "met" : "NOT MET")}";
}
