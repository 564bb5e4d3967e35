using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Validation;

/// <summary>
/// The hard rules of the spec, section 3. Each failure carries the field path and a message code;
/// the message is rendered in the reader's language at the edge.
/// </summary>
/// <remarks>
/// One rule per field of a report; the values rule is driven by the catalogue (bounds per kind, required
/// indicators, cross-field sums), read once here into arrays. The rules run on every report, so a report that
/// passes allocates nothing in them: no closures, LINQ, boxing or strings per call (field names and echoed text
/// are built only for a failure). The validator holds no state that changes after construction and is shared by
/// every request.
/// </remarks>
public sealed partial class ReportValidator : AbstractValidator<ReportInput>
{
    public const string BackfillAllowed = "backfillAllowed";
    public const int NotesMaxLength = 500;
    public const int ReporterNameMaxLength = 50;

    private readonly IndicatorCatalogue catalogue;
    private readonly UnitRegistry units;
    private readonly ReportingClock clock;
    private readonly Indicator[] required;
    private readonly SumRule[] sums;

    public ReportValidator(IndicatorCatalogue catalogue, UnitRegistry units, ReportingClock clock)
    {
        this.catalogue = catalogue;
        this.units = units;
        this.clock = clock;
        required = catalogue.Indicators.Where(i => i.Required).ToArray();
        sums = catalogue.Constraints.Select(c => new SumRule(
            catalogue[c.Key],
            c.AtMostSumOf.Select(k => catalogue[k]).ToArray(),
            c.AtMostSumOf.Count == 1 ? new IndicatorLabel(c.AtMostSumOf[0]) : new IndicatorSum(c.AtMostSumOf))).ToArray();

        RuleFor(r => r.UnitCode).Custom(CheckUnit);
        RuleFor(r => r.ReportDate).Custom(CheckDate);
        RuleFor(r => r.SubmissionId).Custom(CheckSubmissionId);
        RuleFor(r => r.Values).Custom(CheckValues);
        RuleFor(r => r.Notes).Custom(CheckNotes);
        RuleFor(r => r.ReporterName).Custom(CheckReporterName);
        RuleFor(r => r.ReporterPhone).Custom(CheckPhone);
    }

    private static void Fail<T>(ValidationContext<T> context, string field, string code, params object?[] args) =>
        context.AddFailure(new ValidationFailure(field, code) { ErrorCode = code, CustomState = args });

    private void CheckUnit(string? code, ValidationContext<ReportInput> context)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            Fail(context, "unitCode", "required");
        }
        else if (units.Find(code) is not { } unit)
        {
            Fail(context, "unitCode", "unitUnknown", Printable(code));
        }
        else if (unit.Level != UnitLevel.Township)
        {
            Fail(context, "unitCode", "unitNotTownship", code);
        }
    }

    private void CheckDate(string? text, ValidationContext<ReportInput> context)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            Fail(context, "reportDate", "required");
            return;
        }

        if (!TryParseDate(text, out var date))
        {
            Fail(context, "reportDate", "dateFormat");
            return;
        }

        // One reading of the clock for both bounds (clock.EarliestAcceptedDate would read it again).
        var today = clock.Today;
        var earliest = today.AddDays(-clock.CorrectionWindowDays);
        if (date > today)
        {
            Fail(context, "reportDate", "dateInFuture", Iso(date), Iso(today));
        }
        else if (date < earliest && !context.RootContextData.ContainsKey(BackfillAllowed))
        {
            Fail(context, "reportDate", "dateTooOld", Iso(date), Iso(earliest), clock.CorrectionWindowDays);
        }
    }

    /// <summary>A date written <c>yyyy-MM-dd</c>, exactly (no spaces, no time, a real day).</summary>
    public static bool TryParseDate(string text, out DateOnly date)
    {
        // The form every client sends, read without the general parser; anything else gets the general parser's answer.
        if (text.Length == 10 && text[4] == '-' && text[7] == '-'
            && TryDigits(text, 0, 4, out var year) && TryDigits(text, 5, 2, out var month) && TryDigits(text, 8, 2, out var day))
        {
            var valid = year >= 1 && month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month);
            date = valid ? new DateOnly(year, month, day) : default;
            return valid;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    private static bool TryDigits(string text, int start, int length, out int value)
    {
        value = 0;
        for (var i = start; i < start + length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            value = value * 10 + (text[i] - '0');
        }

        return true;
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void CheckSubmissionId(string? id, ValidationContext<ReportInput> context)
    {
        if (id is not null && !SubmissionIdPattern().IsMatch(id))
        {
            Fail(context, "submissionId", "submissionIdFormat");
        }
    }

    /// <summary>
    /// Each value against its indicator's kind, in the order given; then the required indicators and the
    /// cross-field sums, in catalogue order. A sum is checked only when its indicator and every part passed
    /// their own checks. (Value maps are keyed ordinally, as both parsers build them.)
    /// </summary>
    private void CheckValues(IReadOnlyDictionary<string, InputValue> values, ValidationContext<ReportInput> context)
    {
        // A Dictionary (what both parsers build) is walked without boxing its enumerator.
        if (values is Dictionary<string, InputValue> map)
        {
            foreach (var (key, value) in map)
            {
                CheckValue(key, value, context);
            }
        }
        else
        {
            foreach (var (key, value) in values)
            {
                CheckValue(key, value, context);
            }
        }

        foreach (var indicator in required)
        {
            if (!values.TryGetValue(indicator.Key, out var value) || value.IsBlank)
            {
                Fail(context, ValueField(indicator.Key), "requiredIndicator", new IndicatorLabel(indicator.Key));
            }
        }

        foreach (var sum in sums)
        {
            if (!TryAccepted(values, sum.Indicator, out var value) || !TrySum(values, sum.Parts, out var limit))
            {
                continue;
            }

            if (value > limit)
            {
                Fail(context, ValueField(sum.Indicator.Key), "exceedsSum", new IndicatorLabel(sum.Indicator.Key), value, sum.Label, limit);
            }
        }
    }

    private void CheckValue(string key, InputValue value, ValidationContext<ReportInput> context)
    {
        if (!catalogue.TryGet(key, out var indicator))
        {
            Fail(context, ValueField(Printable(key)), "unknownIndicator", Printable(key));
            return;
        }

        var bounds = indicator.Bounds;
        switch (Check(indicator, value, out _))
        {
            case ValueCheck.NotANumber:
                Fail(context, ValueField(Printable(key)), "notANumber", new IndicatorLabel(key));
                break;
            case ValueCheck.NotInteger:
                Fail(context, ValueField(Printable(key)), "notInteger", new IndicatorLabel(key));
                break;
            case ValueCheck.TooManyDecimals:
                Fail(context, ValueField(Printable(key)), "tooManyDecimals", new IndicatorLabel(key), bounds.Decimals);
                break;
            case ValueCheck.OutOfRange:
                Fail(context, ValueField(Printable(key)), "outOfRange", new IndicatorLabel(key), bounds.Min, bounds.Max);
                break;
        }
    }

    private static string ValueField(string key) => "values." + key;

    private enum ValueCheck
    {
        Accepted,
        Blank,
        NotANumber,
        NotInteger,
        TooManyDecimals,
        OutOfRange,
    }

    private static ValueCheck Check(Indicator indicator, InputValue value, out decimal number)
    {
        number = 0;
        if (value.IsBlank)
        {
            return ValueCheck.Blank;
        }

        if (value.Number is not { } given)
        {
            return ValueCheck.NotANumber;
        }

        number = given;
        var bounds = indicator.Bounds;
        if (bounds.Decimals == 0 && given != decimal.Truncate(given))
        {
            return ValueCheck.NotInteger;
        }

        if (given.Scale > bounds.Decimals && decimal.Round(given, bounds.Decimals) != given)
        {
            return ValueCheck.TooManyDecimals;
        }

        return given < bounds.Min || given > bounds.Max ? ValueCheck.OutOfRange : ValueCheck.Accepted;
    }

    private static bool TryAccepted(IReadOnlyDictionary<string, InputValue> values, Indicator indicator, out decimal number)
    {
        number = 0;
        return values.TryGetValue(indicator.Key, out var value) && Check(indicator, value, out number) == ValueCheck.Accepted;
    }

    private static bool TrySum(IReadOnlyDictionary<string, InputValue> values, Indicator[] parts, out decimal sum)
    {
        sum = 0;
        foreach (var part in parts)
        {
            if (!TryAccepted(values, part, out var number))
            {
                return false;
            }

            sum += number;
        }

        return true;
    }

    /// <summary>"Key may not exceed the sum of parts", with the label argument made once.</summary>
    private sealed record SumRule(Indicator Indicator, Indicator[] Parts, object Label);

    private static void CheckNotes(string? text, ValidationContext<ReportInput> context) =>
        CheckText("notes", text, NotesMaxLength, allowLineBreaks: true, context);

    private static void CheckReporterName(string? text, ValidationContext<ReportInput> context) =>
        CheckText("reporter.name", text, ReporterNameMaxLength, allowLineBreaks: false, context);

    private static void CheckText(string field, string? text, int maxLength, bool allowLineBreaks, ValidationContext<ReportInput> context)
    {
        if (text is null)
        {
            return;
        }

        if (text.Length > maxLength)
        {
            Fail(context, field, "tooLong", maxLength);
        }

        foreach (var c in text)
        {
            if (IsForbidden(c, allowLineBreaks))
            {
                Fail(context, field, "controlCharacters");
                return;
            }
        }
    }

    /// <summary>Control characters and the Unicode direction overrides that can disguise text in a report.</summary>
    public static bool IsForbidden(char c, bool allowLineBreaks) =>
        (char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t'))
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';

    /// <summary>A plausible Chinese mobile or landline number (spaces allowed): for phones given outside a report.</summary>
    public static bool IsPlausiblePhone(string phone)
    {
        var compact = phone.Replace(" ", "", StringComparison.Ordinal);
        return MobilePattern().IsMatch(compact) || LandlinePattern().IsMatch(compact);
    }

    private static void CheckPhone(string? phone, ValidationContext<ReportInput> context)
    {
        if (string.IsNullOrWhiteSpace(phone))
        {
            return;
        }

        var compact = phone.Replace(" ", "", StringComparison.Ordinal);
        if (!MobilePattern().IsMatch(compact) && !LandlinePattern().IsMatch(compact))
        {
            Fail(context, "reporter.phone", "phoneFormat");
        }
    }

    /// <summary>Echoes caller-supplied text in a message without letting control characters through.</summary>
    public static string Printable(string text)
    {
        var clean = string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = IsForbidden(source[i], allowLineBreaks: false) ? '?' : source[i];
            }
        });
        return clean.Length > 40 ? clean[..40] + "…" : clean;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9\-]{0,63}$")]
    private static partial Regex SubmissionIdPattern();

    [GeneratedRegex(@"^(\+?86)?1[3-9]\d{9}$")]
    private static partial Regex MobilePattern();

    [GeneratedRegex(@"^(\+?86-?)?0\d{2,3}-?\d{7,8}(-\d{1,6})?$")]
    private static partial Regex LandlinePattern();
}

/// <summary>An argument rendered as "A + B" of indicator labels.</summary>
public sealed record IndicatorSum(IReadOnlyList<string> Keys);
