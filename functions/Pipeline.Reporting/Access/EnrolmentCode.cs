namespace Pipeline.Reporting.Access;

/// <summary>An enrolment code made for a newly issued token: what goes into its link, and until when it works.</summary>
public sealed record EnrolmentCode(string Code, DateTimeOffset ExpiresAt);
