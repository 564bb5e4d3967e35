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
public sealed partial class ReportValidator : AbstractValidator<ReportInput>
{
    public const string BackfillAllowed = "backfillAllowed";
    public const int NotesMaxLength = 500;
    public const int ReporterNameMaxLength = 50;

    public ReportValidator(IndicatorCatalogue catalogue, UnitRegistry units, ReportingClock clock)
    {
        RuleFor(r => r.UnitCode).Custom((code, context) => CheckUnit(code, units, context));
        RuleFor(r => r.ReportDate).Custom((date, context) => CheckDate(date, clock, context));
        RuleFor(r => r.SubmissionId).Custom(CheckSubmissionId);
        RuleFor(r => r.Values).Custom((values, context) => CheckValues(values, catalogue, context));
        RuleFor(r => r.Notes).Custom((text, context) => CheckText("notes", text, NotesMaxLength, allowLineBreaks: true, context));
        RuleFor(r => r.ReporterName).Custom((text, context) => CheckText("reporter.name", text, ReporterNameMaxLength, allowLineBreaks: false, context));
        RuleFor(r => r.ReporterPhone).Custom(CheckPhone);
    }

    private static void Fail<T>(ValidationContext<T> context, string field, string code, params object?[] args) =>
        context.AddFailure(new ValidationFailure(field, code) { ErrorCode = code, CustomState = args });

    private static void CheckUnit(string? code, UnitRegistry units, ValidationContext<ReportInput> context)
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

    private static void CheckDate(string? text, ReportingClock clock, ValidationContext<ReportInput> context)
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

        var today = clock.Today;
        if (date > today)
        {
            Fail(context, "reportDate", "dateInFuture", Iso(date), Iso(today));
        }
        else if (date < clock.EarliestAcceptedDate && !context.RootContextData.ContainsKey(BackfillAllowed))
        {
            Fail(context, "reportDate", "dateTooOld", Iso(date), Iso(clock.EarliestAcceptedDate), clock.CorrectionWindowDays);
        }
    }

    public static bool TryParseDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void CheckSubmissionId(string? id, ValidationContext<ReportInput> context)
    {
        if (id is not null && !SubmissionIdPattern().IsMatch(id))
        {
            Fail(context, "submissionId", "submissionIdFormat");
        }
    }

    private static void CheckValues(IReadOnlyDictionary<string, InputValue> values, IndicatorCatalogue catalogue, ValidationContext<ReportInput> context)
    {
        var accepted = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            var field = "values." + Printable(key);
            if (!catalogue.TryGet(key, out var indicator))
            {
                Fail(context, field, "unknownIndicator", Printable(key));
            }
            else if (value.IsBlank)
            {
                continue;
            }
            else if (value.Number is not { } number)
            {
                Fail(context, field, "notANumber", new IndicatorLabel(key));
            }
            else if (indicator.Bounds.Decimals == 0 && number != decimal.Truncate(number))
            {
                Fail(context, field, "notInteger", new IndicatorLabel(key));
            }
            else if (number.Scale > indicator.Bounds.Decimals && decimal.Round(number, indicator.Bounds.Decimals) != number)
            {
                Fail(context, field, "tooManyDecimals", new IndicatorLabel(key), indicator.Bounds.Decimals);
            }
            else if (number < indicator.Bounds.Min || number > indicator.Bounds.Max)
            {
                Fail(context, field, "outOfRange", new IndicatorLabel(key), indicator.Bounds.Min, indicator.Bounds.Max);
            }
            else
            {
                accepted[key] = number;
            }
        }

        foreach (var indicator in catalogue.Indicators.Where(i => i.Required))
        {
            if (!values.TryGetValue(indicator.Key, out var value) || value.IsBlank)
            {
                Fail(context, "values." + indicator.Key, "requiredIndicator", new IndicatorLabel(indicator.Key));
            }
        }

        foreach (var constraint in catalogue.Constraints)
        {
            if (!accepted.TryGetValue(constraint.Key, out var value))
            {
                continue;
            }

            var limits = constraint.AtMostSumOf.Select(k => accepted.TryGetValue(k, out var v) ? v : (decimal?)null).ToList();
            if (limits.Any(l => l is null))
            {
                continue;
            }

            var limit = limits.Sum(l => l!.Value);
            if (value > limit)
            {
                object label = constraint.AtMostSumOf.Count == 1
                    ? new IndicatorLabel(constraint.AtMostSumOf[0])
                    : new IndicatorSum(constraint.AtMostSumOf);
                Fail(context, "values." + constraint.Key, "exceedsSum", new IndicatorLabel(constraint.Key), value, label, limit);
            }
        }
    }

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

        if (text.Any(c => IsForbidden(c, allowLineBreaks)))
        {
            Fail(context, field, "controlCharacters");
        }
    }

    /// <summary>Control characters and the Unicode direction overrides that can disguise text in a report.</summary>
    public static bool IsForbidden(char c, bool allowLineBreaks) =>
        (char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t'))
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';

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
        var clean = new string(text.Select(c => IsForbidden(c, allowLineBreaks: false) ? '?' : c).ToArray());
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
