using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;
using Pipeline.Reporting.Catalogue;
using Pipeline.Reporting.Submissions;
using Pipeline.Reporting.Time;
using Pipeline.Reporting.Units;

namespace Pipeline.Reporting.Validation;

/// <summary>
/// The hard rules of the spec, section 3, read from the report's shape (<see cref="ReportShape"/>): one rule per
/// field, its limits from the shape; the values' rule runs the catalogue's bounds, required indicators and
/// cross-field rules (data in indicators.json, published to the form as they are). Each failure carries the
/// field path (its error code and its arguments as custom state); the message is rendered in the reader's
/// language at the edge. <see cref="HardRules"/> runs it and turns a passing input into a report.
/// </summary>
/// <remarks>
/// The correction window is the rule set <see cref="CorrectionWindow"/>: a backfill (admin) runs without it.
/// The values are one <c>Custom</c> rule: their keys are the caller's, and a rule per given key
/// (<c>RuleForEach</c>) would build a child context and a property path per value of every report; a rule per
/// required indicator and per cross-field rule would add 8 rules, each allocating its property accessor per run,
/// to a validation held to 2.5 KB per report (ValidationCostTests). The rule sets are chosen by
/// <see cref="RuleSetSelector"/>, which allocates nothing. The rules
/// run on every report, so a report that passes allocates little in them: no closures, LINQ or strings per call
/// (field names and echoed text are built only for a failure). The validator holds no state that changes after
/// construction and is shared by every request.
/// </remarks>
public sealed partial class ReportValidator : AbstractValidator<ReportInput>
{
    /// <summary>The rule set of the correction window; <see cref="HardRules"/> leaves it out for a backfill.</summary>
    public const string CorrectionWindow = "correctionWindow";

    public static readonly int NotesMaxLength = ReportShape.Notes.MaxLength!.Value;
    public static readonly int ReporterNameMaxLength = ReportShape.ReporterName.MaxLength!.Value;

    private static readonly object?[] NoArgs = [];

    private readonly IndicatorCatalogue catalogue;
    private readonly UnitRegistry units;
    private readonly ReportingClock clock;
    private readonly Indicator[] required;
    private readonly SumRule[] crossFieldRules;

    public ReportValidator(ReportShape shape, UnitRegistry units, ReportingClock clock)
    {
        catalogue = shape.Catalogue;
        this.units = units;
        this.clock = clock;

        RuleFor(r => r.UnitCode).Cascade(CascadeMode.Stop)
            .Must(code => !string.IsNullOrWhiteSpace(code)).WithErrorCode("required").WithState(_ => NoArgs)
            .Must(code => units.Find(code!) is not null).WithErrorCode("unitUnknown").WithState(r => Args(Printable(r.UnitCode!)))
            .Must(code => units.Find(code!)!.Level == UnitLevel.Township).WithErrorCode("unitNotTownship").WithState(r => Args(r.UnitCode))
            .OverridePropertyName(ReportShape.UnitCode.Path);

        RuleFor(r => r.Date).Cascade(CascadeMode.Stop)
            .Must(date => date.Status != ReportDateStatus.Missing).WithErrorCode("required").WithState(_ => NoArgs)
            .Must(date => date.Status != ReportDateStatus.NoSuchDay).WithErrorCode("dateNoSuchDay").WithState(_ => NoArgs)
            .Must(date => date.IsValid).WithErrorCode("dateFormat").WithState(_ => NoArgs)
            .Must(date => date.Value <= clock.Today).WithErrorCode("dateInFuture")
                .WithState(r => Args(ReportDate.Iso(r.Date.Value), ReportDate.Iso(clock.Today)))
            .Must(date => date.Value >= clock.CampaignStart).WithErrorCode("dateBeforeCampaign")
                .WithState(r => Args(ReportDate.Iso(r.Date.Value), ReportDate.Iso(clock.CampaignStart)))
            .OverridePropertyName(ReportShape.ReportDate.Path);
        RuleSet(CorrectionWindow, () =>
            RuleFor(r => r.Date)
                .Must(date => date.Value >= clock.EarliestAcceptedDate).WithErrorCode("dateTooOld")
                    .WithState(r => Args(ReportDate.Iso(r.Date.Value), ReportDate.Iso(clock.EarliestAcceptedDate), clock.CorrectionWindowDays))
                .When(r => r.Date.IsValid && r.Date.Value <= clock.Today && r.Date.Value >= clock.CampaignStart)
                .OverridePropertyName(ReportShape.ReportDate.Path));

        RuleFor(r => r.SubmissionId)
            .Matches(SubmissionIdPattern()).WithErrorCode("submissionIdFormat").WithState(_ => NoArgs)
            .OverridePropertyName(ReportShape.SubmissionId.Path);

        required = shape.Indicators.Where(i => i.Required).ToArray();
        crossFieldRules = shape.CrossFieldRules.Select(c => new SumRule(
            catalogue[c.Key],
            c.AtMostSumOf.Select(k => catalogue[k]).ToArray(),
            c.AtMostSumOf.Count == 1 ? new IndicatorLabel(c.AtMostSumOf[0]) : new IndicatorSum(c.AtMostSumOf))).ToArray();
        RuleFor(r => r.Values).Custom(CheckValues);

        TextRules(RuleFor(r => r.Notes), ReportShape.Notes);
        TextRules(RuleFor(r => r.ReporterName), ReportShape.ReporterName);

        RuleFor(r => r.ReporterPhone)
            .Must(phone => string.IsNullOrWhiteSpace(phone) || IsPlausiblePhone(phone)).WithErrorCode("phoneFormat").WithState(_ => NoArgs)
            .OverridePropertyName(ReportShape.ReporterPhone.Path);
    }

    private static object?[] Args(params object?[] args) => args;

    /// <summary>A text field: at most its length, no control or direction characters (line breaks where the field allows them).</summary>
    private static void TextRules(IRuleBuilderInitial<ReportInput, string?> rule, ReportField field)
    {
        var maxLength = field.MaxLength!.Value;
        var tooLong = Args(maxLength);
        rule.MaximumLength(maxLength).WithErrorCode("tooLong").WithState(_ => tooLong)
            .Must(text => !HasForbidden(text, field.AllowsLineBreaks)).WithErrorCode("controlCharacters").WithState(_ => NoArgs)
            .OverridePropertyName(field.Path);
    }

    private static bool HasForbidden(string? text, bool allowLineBreaks)
    {
        if (text is null)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (IsForbidden(c, allowLineBreaks))
            {
                return true;
            }
        }

        return false;
    }

    private static void Fail<T>(ValidationContext<T> context, string field, string code, params object?[] args) =>
        context.AddFailure(new ValidationFailure(field, code) { ErrorCode = code, CustomState = args });

    /// <summary>
    /// Each value against its indicator's kind, in the order given; then the required indicators and the
    /// cross-field rules, in catalogue order. (Value maps are keyed ordinally, as both parsers build them.)
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

        foreach (var rule in crossFieldRules)
        {
            if (rule.IsExceeded(values, out var value, out var limit))
            {
                Fail(context, ValueField(rule.Indicator.Key), "exceedsSum", new IndicatorLabel(rule.Indicator.Key), value, rule.Label, limit);
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

    private static string ValueField(string key) => ReportShape.ValuePath(key);

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

    /// <summary>
    /// "Indicator may not exceed the sum of parts", with the label argument made once. It is checked only when the
    /// indicator and every part passed their own checks.
    /// </summary>
    private sealed record SumRule(Indicator Indicator, Indicator[] Parts, object Label)
    {
        public bool IsExceeded(IReadOnlyDictionary<string, InputValue> values, out decimal value, out decimal limit)
        {
            limit = 0;
            if (!TryAccepted(values, Indicator, out value))
            {
                return false;
            }

            foreach (var part in Parts)
            {
                if (!TryAccepted(values, part, out var number))
                {
                    return false;
                }

                limit += number;
            }

            return value > limit;
        }
    }

    /// <summary>Control characters and the Unicode marks that can disguise text (<see cref="ForbiddenCharacters"/>).</summary>
    public static bool IsForbidden(char c, bool allowLineBreaks) => ForbiddenCharacters.IsForbidden(c, allowLineBreaks);

    /// <summary>A plausible Chinese mobile or landline number (spaces allowed): for phones given outside a report too.</summary>
    public static bool IsPlausiblePhone(string phone)
    {
        var compact = phone.Replace(" ", "", StringComparison.Ordinal);
        return MobilePattern().IsMatch(compact) || LandlinePattern().IsMatch(compact);
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

    [GeneratedRegex(ReportShape.SubmissionIdPattern)]
    private static partial Regex SubmissionIdPattern();

    [GeneratedRegex(@"^(\+?86)?1[3-9]\d{9}$")]
    private static partial Regex MobilePattern();

    [GeneratedRegex(@"^(\+?86-?)?0\d{2,3}-?\d{7,8}(-\d{1,6})?$")]
    private static partial Regex LandlinePattern();
}
