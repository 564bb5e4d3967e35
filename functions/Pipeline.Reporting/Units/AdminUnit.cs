namespace Pipeline.Reporting.Units;

/// <summary>One administrative unit with its official division code.</summary>
public sealed record AdminUnit(string Code, string NameZh, string NameEn, UnitLevel Level, string? ParentCode)
{
    /// <summary>The English name, falling back to the Chinese one where no source gave an English name.</summary>
    public string Name(Catalogue.Language language) =>
        language == Catalogue.Language.English && NameEn.Length > 0 ? NameEn : NameZh;
}
