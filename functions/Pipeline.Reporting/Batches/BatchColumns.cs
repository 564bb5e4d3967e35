using System.Text;
using Pipeline.Reporting.Catalogue;

namespace Pipeline.Reporting.Batches;

/// <summary>
/// The columns a batch CSV may have, and the names each goes by in a header: its key (<c>returnees</c>), or, as
/// counties' Excel templates carry them, the catalogue's Chinese label (<c>返乡人员</c>) or English label
/// (<c>Returnees screened</c>). Names are compared after Unicode compatibility folding (full-width <c>：（）</c> as
/// ASCII), ignoring case and surrounding spaces.
/// </summary>
public sealed class BatchColumns
{
    public const string UnitCode = "unitCode";
    public const string UnitName = "unitName";
    public const string ReportDate = "reportDate";
    public const string Notes = "notes";
    public const string SubmissionId = "submissionId";
    public const string ReporterName = "reporterName";
    public const string ReporterPhone = "reporterPhone";

    /// <summary>The columns that are not indicators, with their Chinese and English names.</summary>
    public static readonly IReadOnlyList<(string Key, string Zh, string En)> Fixed =
    [
        (UnitCode, "单位代码", "Unit code"),
        (UnitName, "单位名称", "Unit name"),
        (ReportDate, "报告日期", "Report date"),
        (Notes, "备注", "Notes"),
        (SubmissionId, "提交编号", "Submission id"),
        (ReporterName, "填报人", "Reporter name"),
        (ReporterPhone, "联系电话", "Reporter phone"),
    ];

    private readonly Dictionary<string, string> keyByName = new(StringComparer.OrdinalIgnoreCase);

    public BatchColumns(IndicatorCatalogue catalogue)
    {
        foreach (var (key, zh, en) in Fixed)
        {
            Add(key, key, zh, en);
        }

        foreach (var indicator in catalogue.Indicators)
        {
            Add(indicator.Key, indicator.Key, indicator.LabelZh, indicator.LabelEn);
        }
    }

    /// <summary>The column a header name stands for (a key above or an indicator key), or null for an unknown name.</summary>
    public string? Resolve(string headerName) => keyByName.GetValueOrDefault(Fold(headerName));

    private void Add(string key, params string[] names)
    {
        foreach (var name in names)
        {
            if (!keyByName.TryAdd(Fold(name), key) && keyByName[Fold(name)] != key)
            {
                throw new InvalidOperationException($"The CSV column name {name} stands for two columns.");
            }
        }
    }

    private static string Fold(string name) => name.Trim().Normalize(NormalizationForm.FormKC);
}
