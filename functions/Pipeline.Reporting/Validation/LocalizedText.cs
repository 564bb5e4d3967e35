namespace Pipeline.Reporting.Validation;

/// <summary>One message in both languages, as messages.json holds it (<c>{0}</c>-style placeholders).</summary>
public sealed record LocalizedText(string Zh, string En);
