using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Validation;
using Pipeline.Testing;
using Pipeline.Reporting.Tests.Submissions;

namespace Pipeline.Reporting.Tests.Validation;

/// <summary>
/// Pins what the parser and the rules say, byte for byte: every error's field, code and arguments (with their
/// types), in order, and the report a valid input becomes. The expected output (Validation/validation-golden.txt) was
/// recorded from the rules before they were restructured for speed; a change to it must be deliberate.
/// Regenerate with <c>UPDATE_GOLDEN=1 dotnet test --filter ValidationGolden</c> and review the diff.
/// </summary>
public sealed class ValidationGoldenTests
{
    private const string Today = "2026-11-27";
    private const int FuzzCases = 1000;
    private const int GeneratedCases = 2000;
    private const int FuzzSeed = 20261127;

    private static readonly string GoldenPath = Path.Combine(RepositoryRoot.Path, "tests", "Pipeline.Reporting.Tests", "Validation", "validation-golden.txt");

    [Fact]
    public void Parser_and_rule_output_is_unchanged()
    {
        var rules = new RuleFixture();
        var actual = new StringBuilder();
        foreach (var (name, input) in Inputs())
        {
            actual.Append("## ").Append(name).Append('\n');
            actual.Append("  strict: ").Append(Describe(rules.Validation.Validate(input, backfillAllowed: false))).Append('\n');
            actual.Append("  backfill: ").Append(Describe(rules.Validation.Validate(input, backfillAllowed: true))).Append('\n');
        }

        foreach (var (name, body) in Bodies())
        {
            actual.Append("## ").Append(name).Append('\n').Append(DescribeBody(rules, body, "  "));
        }

        var random = new Random(FuzzSeed);
        for (var i = 0; i < FuzzCases; i++)
        {
            var body = ParserFuzzTests.Mutate(Encoding.UTF8.GetBytes(ParserFuzzTests.Seeds[random.Next(ParserFuzzTests.Seeds.Length)]), random);
            var text = DescribeBody(rules, body, "");
            actual.Append("## fuzz ").Append(i).Append(' ').Append(Hash(text)).Append('\n');
        }

        var generator = new Random(FuzzSeed);
        for (var i = 0; i < GeneratedCases; i++)
        {
            var text = DescribeBody(rules, Encoding.UTF8.GetBytes(GeneratedReport(generator, rules.Catalogue)), "");
            actual.Append("## generated ").Append(i).Append(' ').Append(Hash(text)).Append('\n');
        }

        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(GoldenPath, actual.ToString());
        }

        var expected = File.ReadAllText(GoldenPath).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var lines = actual.ToString().Split('\n');
        for (var i = 0; i < Math.Max(expected.Length, lines.Length); i++)
        {
            var want = i < expected.Length ? expected[i] : "(end)";
            var got = i < lines.Length ? lines[i] : "(end)";
            Assert.True(want == got, $"line {i + 1} of {GoldenPath}:\nexpected: {want}\nactual:   {got}");
        }
    }

    /// <summary>Reports built directly, one or more per rule and code, with awkward keys, scales and text.</summary>
    private static IEnumerable<(string Name, ReportInput Input)> Inputs()
    {
        static ReportInput With(ReportInput input, params (string Key, InputValue Value)[] values)
        {
            var map = new Dictionary<string, InputValue>(input.Values, StringComparer.Ordinal);
            foreach (var (key, value) in values)
            {
                map[key] = value;
            }

            return input with { Values = map };
        }

        static ReportInput Without(ReportInput input, params string[] keys) =>
            input with { Values = input.Values.Where(v => !keys.Contains(v.Key)).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal) };

        static InputValue N(decimal number) => InputValue.Of(number);

        var valid = RuleFixture.Input();
        yield return ("valid minimal", valid);
        yield return ("valid full", RuleFixture.Input(
            values: RuleFixture.ValidValues(("fromHubei", 2), ("fromWuhan", 1), ("vehiclesChecked", 4), ("personsChecked", 5), ("turnedBack", 9),
                ("householdsSurveyed", 10), ("personsSurveyed", 10), ("donatedCashYuan", 1500.50m), ("centralQuarantine", 0)),
            notes: "正常\r\n\t第二行", name: "卓玛", phone: " 138 0013 8000 ", submissionId: "a-1"));
        yield return ("valid scaled values", With(valid, ("returnees", N(12.000m)), ("donatedCashYuan", N(1.500m)), ("fromEpidemicAreas", new InputValue(3.0m, "3.0"))));
        yield return ("valid blank optional values", With(valid, ("fromHubei", new InputValue(null, "")), ("outflow", new InputValue(null, "  "))));
        yield return ("valid null texts", valid with { Notes = null, ReporterName = null, ReporterPhone = null, SubmissionId = null });
        yield return ("valid backfill date", RuleFixture.Input(date: "2020-02-01"));
        yield return ("empty everything", new ReportInput(null, null, null, new Dictionary<string, InputValue>(), null, null, null));
        yield return ("blank strings", new ReportInput(" ", "\t", "", new Dictionary<string, InputValue>(), "", "", " "));

        foreach (var unit in new[] { "999999999", "623024' or '1'='1", "623024", "623000", "\u0001\u202e6230241" + new string('9', 60), "62302410" })
        {
            yield return ("unit " + Escape(unit), RuleFixture.Input(unit: unit));
        }

        foreach (var date in new[] { "27/11/2026", "2026-11-27T00:00:00+08:00", "2026-02-30", "2026-11-28", "2026-11-19", "2026-11-20", "0000-01-01", "9999-12-31", "2026-1-05", " 2026-11-27", "2026-11-27 ", "2026-11-27\0", "２０２６-11-27" })
        {
            yield return ("date " + Escape(date), RuleFixture.Input(date: date));
        }

        foreach (var id in new[] { "bad id", "-a", "a" + new string('b', 63), "a" + new string('b', 64), "中文", "a\n" })
        {
            yield return ("submissionId " + Escape(id), RuleFixture.Input(submissionId: id));
        }

        yield return ("unknown indicators", With(valid, ("fromMars", N(1)), ("", N(2)), ("\u0007bell\u202e" + new string('k', 50), new InputValue(null, "x")), ("Returnees", new InputValue(null, ""))));
        yield return ("not numbers", With(valid, ("outflow", new InputValue(null, "twelve")), ("fromHubei", new InputValue(null, "True")), ("donatedCashYuan", new InputValue(null, "\"\""))));
        yield return ("not integers", With(valid, ("returnees", N(1.5m)), ("outflow", N(-0.1m)), ("fromHubei", N(0.0000000000000000000000000001m))));
        yield return ("too many decimals", With(valid, ("donatedCashYuan", N(1.234m)), ("donatedCashYuan2", N(1))));
        yield return ("money scale within bounds", With(valid, ("donatedCashYuan", N(12.3400m))));
        yield return ("out of range", With(valid, ("returnees", N(-1)), ("outflow", N(1_000_001)), ("donatedCashYuan", N(100_000_000.01m)), ("fromHubei", N(decimal.MaxValue)), ("fromWuhan", N(decimal.MinValue))));
        yield return ("bounds", With(valid, ("returnees", N(0)), ("outflow", N(1_000_000)), ("donatedCashYuan", N(100_000_000))));
        foreach (var key in new[] { "returnees", "fromEpidemicAreas", "homeQuarantine", "feverReferred" })
        {
            yield return ("required missing " + key, Without(valid, key));
            yield return ("required blank " + key, With(valid, (key, new InputValue(null, " "))));
            yield return ("required not a number " + key, With(valid, (key, new InputValue(null, "x"))));
        }

        yield return ("all required missing", valid with { Values = new Dictionary<string, InputValue>() });
        yield return ("exceeds one part", With(valid, ("fromWuhan", N(2)), ("fromHubei", N(1))));
        yield return ("exceeds scaled", With(valid, ("fromWuhan", N(2.0m)), ("fromHubei", N(1.00m))));
        yield return ("exceeds chain", With(valid, ("fromHubei", N(4)), ("fromEpidemicAreas", N(3)), ("fromWuhan", N(5))));
        yield return ("exceeds survey", With(valid, ("householdsSurveyed", N(11)), ("personsSurveyed", N(10))));
        yield return ("exceeds sum", With(valid, ("vehiclesChecked", N(4)), ("personsChecked", N(5.0m)), ("turnedBack", N(10))));
        yield return ("sum equal", With(valid, ("vehiclesChecked", N(4)), ("personsChecked", N(5)), ("turnedBack", N(9))));
        yield return ("sum with a part missing", With(valid, ("vehiclesChecked", N(1)), ("turnedBack", N(10))));
        yield return ("sum with a part refused", With(valid, ("vehiclesChecked", N(1)), ("personsChecked", N(-1)), ("turnedBack", N(10))));
        yield return ("sum with a part blank", With(valid, ("vehiclesChecked", N(1)), ("personsChecked", new InputValue(null, "")), ("turnedBack", N(10))));
        yield return ("exceeds with the part refused", With(valid, ("fromWuhan", N(2.5m)), ("fromHubei", N(1))));

        yield return ("notes long", RuleFixture.Input(notes: new string('字', 501)));
        yield return ("notes 500", RuleFixture.Input(notes: new string('字', 500)));
        yield return ("notes long and control", RuleFixture.Input(notes: new string('x', 600) + "\u0000"));
        yield return ("notes controls", RuleFixture.Input(notes: "ok\u0007"));
        yield return ("notes direction", RuleFixture.Input(notes: "abc\u202Edef\u2066"));
        yield return ("notes line breaks", RuleFixture.Input(notes: "a\nb\r\nc\td"));
        yield return ("notes del and c1", RuleFixture.Input(notes: "a\u007fb\u0085"));
        yield return ("name long", RuleFixture.Input(name: new string('名', 51)));
        yield return ("name line break", RuleFixture.Input(name: "a\nb"));
        yield return ("name tab", RuleFixture.Input(name: "a\tb"));
        yield return ("name long and control", RuleFixture.Input(name: new string('名', 60) + "\u202a"));

        foreach (var phone in new[] { "12345", "23800138000", "138001380001", "phone", "+8613800138000", "0941-8212345", "09418212345", "86 138 0013 8000", "+86-0941-8212345-123", "\t", "138\u00a000138000" })
        {
            yield return ("phone " + Escape(phone), RuleFixture.Input(phone: phone));
        }

        yield return ("everything wrong", new ReportInput("1", "x", "bad id",
            new Dictionary<string, InputValue> { ["nonsense"] = N(1), ["fromWuhan"] = N(5), ["fromHubei"] = N(1), ["returnees"] = new InputValue(null, "x") },
            "\u0001", new string('n', 51) + "\n", "1"));
    }

    /// <summary>JSON bodies: the hostile-input corpus and hand-picked shapes, parsed from bytes and, where they are JSON, as a batch element.</summary>
    private static IEnumerable<(string Name, byte[] Body)> Bodies()
    {
        var corpus = JsonSerializer.Deserialize<List<HostileCase>>(
            File.ReadAllText(Path.Combine(RepositoryRoot.Path, "tests", "Pipeline.Testing", "Reliability", "hostile-reports.json")),
            new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        foreach (var hostile in corpus.Where(c => !c.Body.StartsWith("@@", StringComparison.Ordinal)))
        {
            yield return ("hostile " + hostile.Name, Encoding.UTF8.GetBytes(hostile.Body.Replace("{{today}}", Today, StringComparison.Ordinal)));
        }

        yield return ("bad utf-8", [.. Encoding.UTF8.GetBytes("{\"unitCode\":\"623026100\",\"notes\":\""), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\"}")]);
        string[] shapes =
        [
            """{"unitCode":"623024100","reportDate":"2026-11-27","submissionId":"a1b2c3","values":{"returnees":12,"fromEpidemicAreas":3,"fromHubei":1,"fromWuhan":0,"homeQuarantine":3,"feverReferred":0,"vehiclesChecked":20,"personsChecked":40,"turnedBack":2,"householdsSurveyed":30,"personsSurveyed":90,"donatedCashYuan":1500.5},"notes":"正常","reporter":{"name":"卓玛","phone":"13800138000"}}""",
            """{"unitCode":"623024100","unitCode":"623024100","values":{"returnees":1,"returnees":2},"extra":1,"reporter":{"name":1,"phone":null,"email":"x"}}""",
            """{"unitCode":1,"reportDate":true,"submissionId":[],"notes":{},"values":[],"reporter":"x"}""",
            """{"unitCode":null,"reportDate":null,"submissionId":null,"notes":null,"values":null,"reporter":null}""",
            """{"values":{"returnees":1e400,"outflow":-1e400,"fromHubei":1e-30,"fromWuhan":-1e-30,"feverReferred":-0,"homeQuarantine":0.0,"donatedCashYuan":1.10,"turnedBack":1E2,"vehiclesChecked":12345678901234567890123456789012}}""",
            """{"values":{"returnees":"12","outflow":"","fromHubei":true,"fromWuhan":false,"feverReferred":[1],"homeQuarantine":{"a":1},"turnedBack":null,"donatedCashYuan":" "}}""",
            """{"values":{"\u0000":1,"a\u202eb":2,"":3,"returnees\n":4}}""",
            """{"unitCode":"\u623024100","notes":"\ud800","reporter":{"name":"\u0000"}}""",
            """{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":{"j":{"k":{"l":{"m":{"n":{"o":1}}}}}}}}}}}}}}}""",
            """{"a":{"b":{"c":{"d":{"e":{"f":{"g":{"h":{"i":{"j":{"k":{"l":{"m":{"n":{"o":{"p":{"q":1}}}}}}}}}}}}}}}}}""",
            """{"values":{"returnees":1,},"notes":"x"}""",
            """{"notes":"x"} """,
            """ {"notes":"x"}""",
            "{\"notes\":\"x\"}\n",
            """{"notes":"x"}/* c */""",
            """{"unitCode" : "623024100" , "values" : { "returnees" : 1 } }""",
            """{"values":{"returnees":01}}""",
            """{"values":{"returnees":1.}}""",
            """{"values":{"returnees":+1}}""",
            """{"values":{"returnees":0x10}}""",
            """{"values":{"returnees":Infinity}}""",
            """{"reporter":{"name":"a","name":"b"}}""",
            """{"notes":"\"quoted\" \\ \/ \b\f\n\r\t \u00e9"}""",
            """[]""",
            """[{"unitCode":"x"}]""",
            """ "x" """,
            """null""",
            """{}""",
        ];
        foreach (var (shape, i) in shapes.Select((s, i) => (s, i)))
        {
            yield return ($"shape {i}", Encoding.UTF8.GetBytes(shape));
        }
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];

    /// <summary>
    /// A random report that is JSON (so it reaches the rules), built from pieces that hit every rule: units of
    /// each level, dates around the window, catalogue keys with small values (so cross-field rules fire), numbers
    /// of every shape, wrong types, duplicates, unknown fields and hostile text.
    /// </summary>
    internal static string GeneratedReport(Random random, Pipeline.Reporting.Catalogue.IndicatorCatalogue catalogue)
    {
        // Half the reports are nearly valid (each piece is its first, valid choice four times in five), so that
        // valid reports and single failures are as well covered as reports that fail everywhere.
        var clean = random.Next(2) == 0;
        string Pick(params string[] choices) => clean && random.Next(5) > 0 ? choices[0] : choices[random.Next(choices.Length)];
        string Text() => Pick("\"正常\"", "\"a\\nb\"", "\"\\u0007\"", "\"\\u202e\"", "\"\"", "null", "1", "\"" + new string('字', random.Next(45, 55)) + "\"",
            "\"" + new string('x', random.Next(495, 505)) + "\"", "\" 卓玛 \"", "\"\\t\"");
        string Number() => (clean ? random.Next(8) : random.Next(12)) switch
        {
            < 6 => random.Next(0, 13).ToString(CultureInfo.InvariantCulture),
            6 => random.Next(-3, 3).ToString(CultureInfo.InvariantCulture),
            7 => Pick("1.5", "1.50", "12.345", "0.01", "1500.5", "3.0", "100000000.01", "1e3", "1E2", "-0", "0.0"),
            8 => Pick("1e400", "-1e400", "1e-30", "1000001", "1000000", "99999999999999999999999999999999"),
            9 => Pick("\"12\"", "\"\"", "\" \"", "null", "true", "[]", "{}"),
            _ => random.Next(0, 200).ToString(CultureInfo.InvariantCulture),
        };

        var keys = catalogue.Indicators.Select(i => i.Key).Concat(["fromMars", "", "Returnees", "\\u0000x"]).ToArray();
        var fields = new List<string>();
        void Add(string name, string value)
        {
            if (random.Next(clean ? 40 : 12) > 0)
            {
                fields.Add($"\"{name}\":{value}");
            }
        }

        Add("unitCode", Pick("\"623024100\"", "\"623026100\"", "\"623001101\"", "\"623024\"", "\"623000\"", "\"999\"", "null", "1", "\"\"", "\" \"", "\"\\u0001x\""));
        Add("reportDate", Pick("\"2026-11-27\"", "\"2026-11-20\"", "\"2026-11-19\"", "\"2026-11-28\"", "\"2020-02-01\"", "\"x\"", "null", "20261127", "\"2026-2-3\""));
        Add("submissionId", Pick("\"a1\"", "\"bad id\"", "null", "\"" + new string('a', 65) + "\"", "7"));
        var values = new List<string>();
        if (clean)
        {
            values.AddRange(catalogue.Indicators.Where(i => i.Required).Select(i => $"\"{i.Key}\":{random.Next(0, 40)}"));
        }

        for (var n = random.Next(0, 16); n > 0; n--)
        {
            values.Add($"\"{(clean ? keys[random.Next(keys.Length - 4)] : keys[random.Next(keys.Length)])}\":{Number()}");
        }

        Add("values", !clean && random.Next(20) == 0 ? Pick("null", "[]", "1") : "{" + string.Join(",", values) + "}");
        Add("notes", Text());
        var reporter = new List<string>();
        if (random.Next(3) > 0)
        {
            reporter.Add("\"name\":" + Text());
        }

        if (random.Next(3) > 0)
        {
            reporter.Add("\"phone\":" + Pick("\"13800138000\"", "\"+86 138 0013 8000\"", "\"0941-8212345\"", "\"123\"", "\" \"", "null", "\"phone\"", "138"));
        }

        if (random.Next(15) == 0)
        {
            reporter.Add("\"email\":\"x\"");
        }

        Add("reporter", !clean && random.Next(20) == 0 ? Pick("null", "\"x\"") : "{" + string.Join(",", reporter) + "}");
        if (!clean && random.Next(15) == 0)
        {
            fields.Add(Pick("\"extra\":1", "\"unitCode\":\"623024100\"", "\"values\":{}"));
        }

        return "{" + string.Join(",", fields.OrderBy(_ => random.Next())) + "}";
    }

    private static string DescribeBody(RuleFixture rules, byte[] body, string indent)
    {
        var text = new StringBuilder();
        text.Append(indent).Append("bytes: ");
        try
        {
            text.Append(Describe(rules, ReportJsonParser.Parse(body)));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            text.Append(e is JsonException ? "JsonException" : e.GetType().Name);
        }

        text.Append('\n').Append(indent).Append("element: ");
        try
        {
            using var document = JsonDocument.Parse(body, ReportJsonParser.DocumentOptions);
            text.Append(Describe(rules, ReportJsonParser.Parse(document.RootElement, fieldPrefix: "")));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            text.Append(e is JsonException ? "JsonException" : e.GetType().Name);
        }

        return text.Append('\n').ToString();
    }

    private static string Describe(RuleFixture rules, ParsedReport parsed)
    {
        var input = parsed.Input;
        var text = new StringBuilder();
        text.Append("errors ").Append(Describe(parsed.Errors))
            .Append(" input unit=").Append(Escape(input.UnitCode)).Append(" date=").Append(Escape(input.ReportDate))
            .Append(" id=").Append(Escape(input.SubmissionId)).Append(" notes=").Append(Escape(input.Notes))
            .Append(" name=").Append(Escape(input.ReporterName)).Append(" phone=").Append(Escape(input.ReporterPhone))
            .Append(" values={");
        foreach (var (key, value) in input.Values)
        {
            text.Append(Escape(key)).Append(':').Append(value.Number?.ToString(CultureInfo.InvariantCulture) ?? "null").Append('/').Append(Escape(value.Raw)).Append(',');
        }

        return text.Append("} rules ").Append(Describe(rules.Validation.Validate(input, backfillAllowed: false))).ToString();
    }

    private static string Describe(ValidationOutcome outcome)
    {
        if (outcome.Report is not { } report)
        {
            return "invalid " + Describe(outcome.Errors);
        }

        var values = string.Join(",", report.Values.Select(v => $"{Escape(v.Key)}:{v.Value.ToString(CultureInfo.InvariantCulture)}"));
        return $"valid {report.UnitCode} {report.ReportDate:yyyy-MM-dd} id={Escape(report.SubmissionId)} values={{{values}}} notes={Escape(report.Notes)} "
            + $"name={Escape(report.ReporterName)} phone={Escape(report.ReporterPhone)} errors={outcome.Errors.Count}";
    }

    private static string Describe(IReadOnlyList<FieldError> errors) =>
        "[" + string.Join("; ", errors.Select(e => $"{Escape(e.Field)} {e.Code}({string.Join(", ", e.Args.Select(Argument))})")) + "]";

    private static string Argument(object? argument) => argument switch
    {
        null => "null",
        string s => "string " + Escape(s),
        int i => "int " + i.ToString(CultureInfo.InvariantCulture),
        decimal d => "decimal " + d.ToString(CultureInfo.InvariantCulture),
        IndicatorLabel label => "label " + Escape(label.Key),
        IndicatorSum sum => "sum " + string.Join("+", sum.Keys.Select(Escape)),
        _ => argument.GetType().Name + " " + Escape(Convert.ToString(argument, CultureInfo.InvariantCulture)),
    };

    /// <summary>A string as a JSON literal, every non-ASCII and control character escaped, so the file stays plain and reviewable.</summary>
    private static string Escape(string? text) => text is null ? "null" : JsonSerializer.Serialize(text, EscapeAll);

    private static readonly JsonSerializerOptions EscapeAll = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default };

    private sealed record HostileCase(string Name, string ContentType, string Body, int Status);
}
