namespace Pipeline.Reporting.Submissions;

/// <summary>One value as it arrived: a number, or the raw text that should have been one. Blank means "not reported".</summary>
public sealed record InputValue(decimal? Number, string Raw)
{
    public bool IsBlank => Number is null && string.IsNullOrWhiteSpace(Raw);

    public static InputValue Of(decimal number) => new(number, number.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
