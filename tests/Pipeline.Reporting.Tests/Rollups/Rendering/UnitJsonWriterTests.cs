using System.Buffers;
using System.Text;
using System.Text.Json;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Rollups;
using Pipeline.Reporting.Rollups.Rendering;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Tests.Rollups.Rendering;

/// <summary>A unit of the JSON file, written member by member: the serializer's bytes, and none of its garbage.</summary>
public sealed class UnitJsonWriterTests
{
    private static readonly IndicatorSlots Slots = new(IndicatorCatalogue.LoadEmbedded());

    private static UnitValues Compact(Dictionary<string, decimal> values) => Slots.Compact(values);

    /// <summary>Units with every member present and absent, values compact and not, and text the encoder treats apart.</summary>
    public static TheoryData<string> Units() => ["reported", "not reported", "warned", "plain dictionary", "hard text"];

    private static UnitRollup Unit(string name) => name switch
    {
        "reported" => new UnitRollup("623024100", "电尕镇", "623024", true, false, 3,
            Compact(new() { ["returnees"] = 12, ["donatedCashYuan"] = 1500.50m, ["feverReferred"] = 0 }), [], "正常", "卓玛", "+8613800138000"),
        "not reported" => new UnitRollup("623024101", "益哇镇", "623024", false, false, null, Slots.Empty, []),
        "warned" => new UnitRollup("623024102", "卡坝乡", "623024", true, true, 1, Compact(new() { ["returnees"] = -0.00m, ["fromHubei"] = decimal.Negate(0m), ["feverReferred"] = -7, ["vehiclesChecked"] = 4294967295m,
            ["householdsSurveyed"] = 4294967296m, ["personsSurveyed"] = 120.0m, ["personsChecked"] = 79228162514264337593543950335m }),
            [new ReportWarning("returnees", "soft.jump", 40, 4.25m), new ReportWarning("personsChecked", "soft.outlier", 0.1m, -3)], null, "多吉", null),
        "plain dictionary" => new UnitRollup("623024103", "达拉乡", "623024", true, false, 2,
            new Dictionary<string, decimal> { ["zeta"] = 1, ["returnees"] = 2.5m }, [], ""),
        _ => new UnitRollup("623024104", "名\"称\\\t\u0001\u2028😀</script>&+", "623024", true, false, 1, Slots.Empty, [],
            "=HYPERLINK(\"x\")\r\n第二行\u00e9\ud800", "a'b", "<>"),
    };

    [Theory]
    [MemberData(nameof(Units))]
    public void A_unit_is_the_serializers_json_byte_for_byte(string name)
    {
        var unit = Unit(name);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsonDefaults.Web.Encoder }))
        {
            new UnitJsonWriter(JsonDefaults.Web).Write(writer, unit);
        }

        var expected = JsonSerializer.SerializeToUtf8Bytes(unit, JsonDefaults.Web);
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(buffer.WrittenSpan));
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Writing_units_allocates_nothing_per_unit()
    {
        var units = Enumerable.Range(0, 1000).Select(i => Unit(i % 3 == 0 ? "reported" : i % 3 == 1 ? "warned" : "not reported")).ToList();
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsonDefaults.Web.Encoder, SkipValidation = false });
        var json = new UnitJsonWriter(JsonDefaults.Web);
        writer.WriteStartArray();
        json.Write(writer, units[0]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var unit in units)
        {
            json.Write(writer, unit);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // The serializer took 379 bytes a unit here (its stack of frames, the values' enumerator and its pairs).
        Assert.Equal(0, allocated);
    }
}
