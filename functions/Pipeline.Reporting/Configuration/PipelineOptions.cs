using System.ComponentModel.DataAnnotations;

namespace Pipeline.Reporting.Configuration;

/// <summary>The app's settings, bound from the <c>Pipeline</c> section (<c>Pipeline__Name</c> in the environment).</summary>
public sealed class PipelineOptions
{
    public const string Section = "Pipeline";

    /// <summary>The bootstrap admin token; every other token is issued through the API.</summary>
    [MinLength(16)]
    public string? AdminToken { get; set; }

    [Required]
    public string ReportingTimeZone { get; set; } = "Asia/Shanghai";

    [Range(0, 366)]
    public int CorrectionWindowDays { get; set; } = 7;

    /// <summary>
    /// The first day of the campaign (yyyy-MM-dd): no report may be dated before it, not even an admin's backfill,
    /// which otherwise has no lower bound.
    /// </summary>
    [Required]
    public string CampaignStart { get; set; } = "2020-01-01";

    /// <summary>Local time of the report day after which a report counts as late (HH:mm).</summary>
    [Required]
    [RegularExpression(@"^([01]\d|2[0-3]):[0-5]\d$")]
    public string ReportingDeadline { get; set; } = "22:00";

    /// <summary>NCRONTAB (UTC) of the nightly rollup; read by the timer trigger as %Pipeline:RollupSchedule%.</summary>
    [Required]
    public string RollupSchedule { get; set; } = "0 30 16 * * *";

    /// <summary>The address enrolment links start with (scheme and host, e.g. https://report.example.gov.cn); else the request's own.</summary>
    [RegularExpression(@"^https?://[^/?#\s]+(/[^?#\s]*)?$")]
    public string? PublicBaseUrl { get; set; }

    /// <summary>How long an enrolment link (and its QR code) works before it is used.</summary>
    [Range(1, 366)]
    public int EnrolmentDays { get; set; } = 14;

    /// <summary>How often the officials' console refreshes its board; at most once a minute in production, shorter in tests.</summary>
    [Range(1, 3600)]
    public int ConsoleRefreshSeconds { get; set; } = 60;

    /// <summary>How long a rollup file's direct download link (a read-only SAS) works: at most 5 minutes.</summary>
    [Range(1, 300)]
    public int RollupLinkSeconds { get; set; } = 300;

    /// <summary>
    /// How many units' state rows each instance keeps in memory, so that a report of a unit seen before needs no read;
    /// 0 turns the cache off. A unit's copy is its parsed state (see <see cref="Storage.UnitStateCache"/>): about 50 KB with
    /// 45 days of one report each (33 indicators; the row's JSON is 12 KB), so about 50 MB at the default of 1,000 when
    /// every cached unit has reported for 45 days (the prefecture has about 110 units).
    /// </summary>
    [Range(0, 1_000_000)]
    public int UnitStateCacheSize { get; set; } = 1_000;
}
