using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Tests.Validation;

namespace Pipeline.Reporting.Tests.Submissions;

/// <summary>
/// A bounded, seeded mutation fuzzer for the JSON report parser and the rules behind it: whatever the bytes,
/// parsing either yields a report (with named field errors) or a JsonException, and validation never throws.
/// The seed is printed on failure so a case can be replayed.
/// </summary>
public sealed class ParserFuzzTests
{
    internal static readonly string[] Seeds =
    [
        """{"unitCode":"623024100","reportDate":"2026-11-27","submissionId":"a1","values":{"returnees":12,"fromEpidemicAreas":3,"fromHubei":1,"homeQuarantine":3,"feverReferred":0,"donatedCashYuan":12.5},"notes":"正常","reporter":{"name":"卓玛","phone":"13800138000"}}""",
        """{"unitCode":"623001001","reportDate":"2026-11-20","values":{"turnedBack":9,"vehiclesChecked":4,"personsChecked":5}}""",
        """[{"unitCode":"x"}]""",
    ];

    private static readonly string[] Tokens =
        ["{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "-", "1e400", "0.0001", "\"values\"", "\"unitCode\"", "\u202e", "\u0000", "'", "%00", "{\"a\":"];

    [Fact]
    public void Parsing_and_validating_mutated_reports_never_fails_unexpectedly()
    {
        var rules = new RuleFixture();
        var seed = Environment.GetEnvironmentVariable("FUZZ_SEED") is { } fixedSeed ? int.Parse(fixedSeed) : Environment.TickCount;
        var random = new Random(seed);
        var budget = Stopwatch.StartNew();
        var cases = 0;
        while (budget.Elapsed < TimeSpan.FromSeconds(5) || cases < 2_000)
        {
            var bytes = Mutate(Encoding.UTF8.GetBytes(Seeds[random.Next(Seeds.Length)]), random);
            cases++;
            try
            {
                var parsed = ReportJsonParser.Parse(bytes);
                var outcome = rules.Validation.Validate(parsed.Input, backfillAllowed: random.Next(2) == 0);
                Assert.True(outcome.IsValid || outcome.Errors.Count > 0);
                Assert.All(outcome.Errors.Concat(parsed.Errors), e => Assert.True(rules.Messages.Has(e.Code), e.Code));
            }
            catch (JsonException)
            {
                // Not JSON at all: the API answers 400 problem+json for this.
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed}, case {cases}: {e.GetType().Name}: {e.Message}\ninput: {Encoding.UTF8.GetString(bytes)}");
            }
        }

        Assert.True(cases >= 2_000);
    }

    internal static byte[] Mutate(byte[] input, Random random)
    {
        var bytes = new List<byte>(input);
        for (var m = random.Next(1, 6); m > 0 && bytes.Count > 0; m--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(5))
            {
                case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1: bytes.RemoveRange(at, Math.Min(random.Next(1, 8), bytes.Count - at)); break;
                case 2: bytes.InsertRange(at, Encoding.UTF8.GetBytes(Tokens[random.Next(Tokens.Length)])); break;
                case 3: bytes.RemoveRange(at, bytes.Count - at); break;
                default:
                    var from = random.Next(bytes.Count);
                    bytes.InsertRange(at, bytes.GetRange(from, Math.Min(16, bytes.Count - from)));
                    break;
            }
        }

        return bytes.ToArray();
    }
}
