using System.Globalization;
using Microsoft.Extensions.Options;
using Pipeline.Reporting.Configuration;
using Pipeline.Reporting.Submissions;

namespace Pipeline.Reporting.Time;

/// <summary>"Today", deadlines and lateness in the reporting time zone, from an injectable <see cref="TimeProvider"/>.</summary>
public sealed class ReportingClock
{
    private readonly TimeProvider time;
    private readonly TimeZoneInfo zone;
    private readonly TimeOnly deadline;

    public ReportingClock(TimeProvider time, IOptions<PipelineOptions> options)
    {
        this.time = time;
        zone = TimeZoneInfo.FindSystemTimeZoneById(options.Value.ReportingTimeZone);
        deadline = TimeOnly.ParseExact(options.Value.ReportingDeadline, "HH:mm", CultureInfo.InvariantCulture);
        CorrectionWindowDays = options.Value.CorrectionWindowDays;
        CampaignStart = ReportDate.Parse(options.Value.CampaignStart);
    }

    public int CorrectionWindowDays { get; }

    /// <summary>The report day's deadline as a local time.</summary>
    public TimeOnly Deadline => deadline;

    /// <summary>The first day a report may be dated (Pipeline:CampaignStart).</summary>
    public DateOnly CampaignStart { get; }

    public DateTimeOffset UtcNow => time.GetUtcNow();

    public DateTimeOffset LocalNow => ToLocal(UtcNow);

    /// <summary><paramref name="instant"/> as the reporting time zone's local time (with its offset).</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, zone);

    public DateOnly Today => DateOnly.FromDateTime(LocalNow.DateTime);

    public DateOnly EarliestAcceptedDate => Today.AddDays(-CorrectionWindowDays);

    /// <summary>The instant the report day's deadline passes, in UTC.</summary>
    public DateTimeOffset DeadlineOf(DateOnly reportDate)
    {
        var local = reportDate.ToDateTime(deadline);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The instant a local date and time of the reporting time zone passes (reminder cutoffs).</summary>
    public DateTimeOffset InstantOf(DateOnly date, TimeOnly localTime)
    {
        var local = date.ToDateTime(localTime);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    public bool IsLate(DateOnly reportDate, DateTimeOffset receivedAt) => receivedAt > DeadlineOf(reportDate);
}
