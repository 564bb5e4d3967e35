namespace Pipeline.Reporting.Catalogue;

/// <summary>The two languages every user-facing text exists in; Chinese is the default.</summary>
public enum Language
{
    Chinese,
    English,
}
