using Cronos;

namespace DurableWorkflows.Core.Scheduling;

/// <summary>A parsed cron expression (five fields, or six with seconds first) in a time zone.</summary>
public sealed class ScheduleExpression
{
    /// <summary>How many earlier missed occurrences <see cref="LatestDue"/> counts at most.</summary>
    public const int MissedCountLimit = 1000;

    private readonly CronExpression _cron;

    private ScheduleExpression(CronExpression cron, TimeZoneInfo zone)
    {
        _cron = cron;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>Parses <paramref name="cron"/> in the IANA time zone <paramref name="timeZone"/> (null or empty: UTC).</summary>
    /// <param name="error">What is wrong, when the result is null.</param>
    public static ScheduleExpression? TryParse(string? cron, string? timeZone, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(cron))
        {
            error = "a cron expression is required";
            return null;
        }

        var fields = cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        var format = fields switch
        {
            5 => CronFormat.Standard,
            6 => CronFormat.IncludeSeconds,
            1 when cron.TrimStart().StartsWith('@') => CronFormat.Standard,
            _ => (CronFormat?)null,
        };
        if (format is null)
        {
            error = $"cron expression '{cron}' has {fields} fields; expected 5 (minute hour day month weekday) or 6 (second first)";
            return null;
        }

        CronExpression parsed;
        try
        {
            parsed = CronExpression.Parse(cron.Trim(), format.Value);
        }
        catch (CronFormatException e)
        {
            error = $"cron expression '{cron}' is invalid: {e.Message}";
            return null;
        }

        var zone = FindZone(timeZone, out error);
        return zone is null ? null : new ScheduleExpression(parsed, zone);
    }

    /// <summary>Parses, throwing <see cref="ArgumentException"/> with the reason when the expression or zone is invalid.</summary>
    public static ScheduleExpression Parse(string cron, string? timeZone) =>
        TryParse(cron, timeZone, out var error) ?? throw new ArgumentException(error);

    /// <summary>The time zone of an IANA id; null or empty means UTC.</summary>
    public static TimeZoneInfo? FindZone(string? timeZone, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(timeZone))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZone.Trim());
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            error = $"unknown time zone '{timeZone}': use an IANA id such as Europe/Berlin or UTC ({e.Message})";
            return null;
        }
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        var next = _cron.GetNextOccurrence(after.UtcDateTime, Zone, inclusive: false);
        return next is null ? null : new DateTimeOffset(next.Value, TimeSpan.Zero);
    }

    /// <summary>
    /// The latest occurrence in (<paramref name="after"/>, <paramref name="now"/>], and how many earlier ones in that
    /// range it supersedes (at most <see cref="MissedCountLimit"/>); null when none is due.
    /// </summary>
    public (DateTimeOffset Latest, int Missed)? LatestDue(DateTimeOffset after, DateTimeOffset now)
    {
        if (now <= after)
        {
            return null;
        }

        // Look back from now over growing windows, so a long downtime does not enumerate every occurrence.
        var window = TimeSpan.FromMinutes(1);
        while (true)
        {
            var start = window >= now - after ? after : now - window;
            DateTime? latest = null;
            foreach (var o in _cron.GetOccurrences(start.UtcDateTime, now.UtcDateTime, Zone, fromInclusive: start > after, toInclusive: true))
            {
                latest = o;
            }

            if (latest is not null)
            {
                var missed = _cron.GetOccurrences(after.UtcDateTime, latest.Value, Zone, fromInclusive: false, toInclusive: false)
                    .Take(MissedCountLimit)
                    .Count();
                return (new DateTimeOffset(latest.Value, TimeSpan.Zero), missed);
            }

            if (start == after)
            {
                return null;
            }

            window *= 16;
        }
    }
}
