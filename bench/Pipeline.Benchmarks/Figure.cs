using System.Globalization;
using System.Text.Json.Serialization;

namespace Pipeline.Benchmarks;

/// <summary>
/// One figure of a run, as written to the JSON file: what was measured, its baseline measured side by side in the
/// same run (1 for an absolute limit), <c>ratio</c> = value / baseline, and the target on that ratio
/// (<c>"&gt;= 0.8"</c> or <c>"&lt;= 1.2"</c>).
/// </summary>
public sealed record Figure(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("baseline")] double Baseline,
    [property: JsonPropertyName("ratio")] double Ratio,
    [property: JsonPropertyName("target")] string Target)
{
    public static Figure Of(string name, double value, string unit, double baseline, string target) =>
        new(name, Round(value), unit, Round(baseline), Math.Round(value / baseline, 3), target);

    /// <summary>An absolute limit (heap per unit, microseconds per report): baseline 1, so the ratio is the value.</summary>
    public static Figure Absolute(string name, double value, string unit, string target) => Of(name, value, unit, 1, target);

    /// <summary>Whether <see cref="Ratio"/> meets <see cref="Target"/> (not in the JSON: the reader judges from ratio and target).</summary>
    [JsonIgnore]
    public bool Met => Meets(Ratio, Target);

    public static bool Meets(double ratio, string target)
    {
        var parts = target.Split(' ', 2, StringSplitOptions.TrimEntries);
        var limit = double.Parse(parts[1], CultureInfo.InvariantCulture);
        return parts[0] switch
        {
            ">=" => ratio >= limit,
            "<=" => ratio <= limit,
            _ => throw new FormatException($"A target is \">= x\" or \"<= x\", not \"{target}\"."),
        };
    }

    private static double Round(double value) => Math.Round(value, value >= 100 ? 1 : 4);
}
