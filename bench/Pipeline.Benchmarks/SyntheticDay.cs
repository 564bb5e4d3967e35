using System.Globalization;
using System.Text;
using Pipeline.Reporting.Units;

namespace Pipeline.Benchmarks;

/// <summary>
/// Generated reports of one day as a county's spreadsheet export would hold them (the CSV of
/// <c>POST /api/reports/batch</c>): every township but one in <see cref="MissingEvery"/> reports.
/// </summary>
public static class SyntheticDay
{
    public const int MissingEvery = 33;

    /// <summary>A plausible report: the catalogue's cross-field rules hold (from Hubei &lt;= from epidemic areas &lt;= returnees).</summary>
    public static Dictionary<string, decimal> Values(int seed) => new(StringComparer.Ordinal)
    {
        ["returnees"] = 10 + seed % 7,
        ["fromEpidemicAreas"] = 3,
        ["fromHubei"] = 1,
        ["homeQuarantine"] = 5,
        ["feverReferred"] = seed % 2,
        ["temperatureChecks"] = 100 + seed % 50,
        ["vehiclesChecked"] = 20,
        ["personsChecked"] = 40,
        ["householdsSurveyed"] = 30,
        ["personsSurveyed"] = 90,
        ["volunteersOnDuty"] = 12,
        ["donatedCashYuan"] = 1500.5m,
    };

    /// <summary>The townships that report on a generated day.</summary>
    public static IReadOnlyList<AdminUnit> Reporting(UnitRegistry units) =>
        units.Townships.Where((_, i) => i % MissingEvery != MissingEvery - 1).ToList();

    /// <summary>One CSV row per township, values seeded by the row's position.</summary>
    public static byte[] Csv(IEnumerable<AdminUnit> townships, DateOnly date)
    {
        var keys = Values(0).Keys.ToList();
        var day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var text = new StringBuilder("unitCode,reportDate,").AppendJoin(',', keys).Append("\r\n");
        var seed = 0;
        foreach (var township in townships)
        {
            var values = Values(seed++);
            text.Append(township.Code).Append(',').Append(day);
            foreach (var key in keys)
            {
                text.Append(',').Append(values[key].ToString(CultureInfo.InvariantCulture));
            }

            text.Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
