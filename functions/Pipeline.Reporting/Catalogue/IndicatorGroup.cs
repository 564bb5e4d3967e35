namespace Pipeline.Reporting.Catalogue;

public sealed record IndicatorGroup(string Key, string LabelZh, string LabelEn)
{
    public string Label(Language language) => language == Language.English ? LabelEn : LabelZh;
}
