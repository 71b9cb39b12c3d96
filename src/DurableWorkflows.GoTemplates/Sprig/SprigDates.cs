using System.Globalization;
using System.Text.RegularExpressions;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>sprig's dates (date.go): <c>now</c> and what formats, parses, shifts and measures times, in Go's layouts.</summary>
internal static partial class SprigDates
{
    public static IEnumerable<GoFunction> Functions()
    {
        yield return new GoFunction("now", [], null, _ => new GoTime(DateTimeOffset.UtcNow, TimeZoneInfo.Local));
        yield return new GoFunction("date", [ParamType.String, ParamType.Any], null, a => InZone(a[1], "Local").Format((string)a[0]!));
        foreach (string name in new[] { "dateInZone", "date_in_zone" })
        {
            yield return new GoFunction(name, [ParamType.String, ParamType.Any, ParamType.String], null, a => InZone(a[1], (string)a[2]!).Format((string)a[0]!));
        }

        yield return new GoFunction("htmlDate", [ParamType.Any], null, a => InZone(a[0], "Local").Format("2006-01-02"));
        yield return new GoFunction("htmlDateInZone", [ParamType.Any, ParamType.String], null, a => InZone(a[0], (string)a[1]!).Format("2006-01-02"));
        yield return new GoFunction("unixEpoch", [ParamType.Any], null, a => Time(a[0]).Instant.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        yield return new GoFunction("toDate", [ParamType.String, ParamType.String], null, a => Parse((string)a[0]!, (string)a[1]!) ?? GoTime.Zero);
        yield return new GoFunction("mustToDate", [ParamType.String, ParamType.String], null, a => Parse((string)a[0]!, (string)a[1]!)
            ?? throw new GoCallException($"parsing time \"{a[1]}\" as \"{a[0]}\": cannot parse"));
        foreach (string name in new[] { "dateModify", "date_modify" })
        {
            yield return new GoFunction(name, [ParamType.String, ParamType.Any], null, a => ParseDuration((string)a[0]!) is { } d ? Shift(Time(a[1]), d) : Time(a[1]));
        }

        foreach (string name in new[] { "mustDateModify", "must_date_modify" })
        {
            yield return new GoFunction(name, [ParamType.String, ParamType.Any], null, a => ParseDuration((string)a[0]!) is { } d
                ? Shift(Time(a[1]), d)
                : throw new GoCallException($"time: invalid duration \"{a[0]}\""));
        }
        yield return new GoFunction("ago", [ParamType.Any], null, a => Duration(RoundToSecond(DateTimeOffset.UtcNow - (a[0] is GoTime or long or GoInt64 ? Time(a[0]).Instant : DateTimeOffset.UtcNow))));
        yield return new GoFunction("durationRound", [ParamType.Any], null, a => DurationRound(a[0] switch
        {
            string s => ParseDuration(s) is { } d ? (long)(d.Ticks * 100m) : 0,
            GoInt64 g => g.Value,
            GoTime t => (long)((DateTimeOffset.UtcNow - t.Instant).Ticks * 100m),
            _ => 0,
        }));
        yield return new GoFunction("duration", [ParamType.Any], null, a => Duration(TimeSpan.FromSeconds(a[0] switch
        {
            string s => long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long n) ? n : 0,
            GoInt64 g => g.Value,
            _ => 0,
        })));
    }

    /// <summary>sprig's date argument: a time, or Unix seconds (int, int64); anything else is now.</summary>
    private static GoTime Time(object? v) => v switch
    {
        GoTime t => t,
        long or GoInt64 or int => new GoTime(DateTimeOffset.FromUnixTimeSeconds(GoValues.AsInt(v)), TimeZoneInfo.Local),
        _ => new GoTime(DateTimeOffset.UtcNow, TimeZoneInfo.Local),
    };

    private static GoTime InZone(object? v, string zone) => Time(v).In(Zone(zone) ?? TimeZoneInfo.Utc);

    /// <summary>Go's <c>time.LoadLocation</c>: UTC, Local, or an IANA name; null when it is none.</summary>
    private static TimeZoneInfo? Zone(string name)
    {
        if (name is "" or "UTC")
        {
            return TimeZoneInfo.Utc;
        }

        if (name == "Local")
        {
            return TimeZoneInfo.Local;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(name, out TimeZoneInfo? zone) ? zone : null;
    }

    private static GoTime Shift(GoTime t, TimeSpan d) => t with { Instant = t.Instant + d };

    private static TimeSpan RoundToSecond(TimeSpan d) => TimeSpan.FromSeconds(Math.Round(d.TotalSeconds, MidpointRounding.AwayFromZero));

    /// <summary>sprig's <c>durationRound</c>: nanoseconds as the largest whole unit (y, mo, d, h, m, s).</summary>
    private static string DurationRound(long nanoseconds)
    {
        ulong u = nanoseconds < 0 ? (ulong)-nanoseconds : (ulong)nanoseconds;
        const ulong second = 1_000_000_000, minute = 60 * second, hour = 60 * minute, day = 24 * hour, month = 30 * day, year = 365 * day;
        foreach ((ulong unit, string name) in new[] { (year, "y"), (month, "mo"), (day, "d"), (hour, "h"), (minute, "m"), (second, "s") })
        {
            if (u > unit)
            {
                return (u / unit).ToString(CultureInfo.InvariantCulture) + name;
            }
        }

        return "0s";
    }

    /// <summary>Go's <c>time.ParseDuration</c>: a sequence of decimal numbers with units (ns, us, µs, ms, s, m, h).</summary>
    private static TimeSpan? ParseDuration(string s)
    {
        Match m = DurationPattern().Match(s);
        if (!m.Success || s is "" or "+" or "-")
        {
            return s == "0" ? TimeSpan.Zero : null;
        }

        double ns = 0;
        foreach (Capture part in m.Groups[2].Captures)
        {
            Match p = DurationPart().Match(part.Value);
            double n = double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture);
            ns += n * p.Groups[2].Value switch
            {
                "ns" => 1,
                "us" or "µs" or "μs" => 1e3,
                "ms" => 1e6,
                "s" => 1e9,
                "m" => 60e9,
                _ => 3600e9,
            };
        }

        return TimeSpan.FromTicks((long)Math.Round((m.Groups[1].Value == "-" ? -ns : ns) / 100));
    }

    [GeneratedRegex(@"^([-+]?)((?:[0-9]*\.?[0-9]+(?:ns|us|µs|μs|ms|s|m|h))+)$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"([0-9]*\.?[0-9]+)(ns|us|µs|μs|ms|s|m|h)")]
    private static partial Regex DurationPart();

    /// <summary>Go's <c>Duration.String</c> for whole and fractional seconds: <c>1h2m3s</c>, <c>1.5s</c>, <c>0s</c>.</summary>
    private static string Duration(TimeSpan d)
    {
        if (d == TimeSpan.Zero)
        {
            return "0s";
        }

        string sign = d < TimeSpan.Zero ? "-" : "";
        d = d.Duration();
        if (d < TimeSpan.FromSeconds(1))
        {
            double ns = d.Ticks * 100.0;
            return sign + (ns < 1e3 ? $"{ns:0.#########}ns" : ns < 1e6 ? $"{ns / 1e3:0.#########}µs" : $"{ns / 1e6:0.#########}ms").Replace(',', '.');
        }

        long hours = (long)d.TotalHours;
        string seconds = (d.TotalSeconds % 60).ToString("0.#########", CultureInfo.InvariantCulture) + "s";
        return sign + (hours > 0 ? $"{hours}h{d.Minutes}m" : d.Minutes > 0 ? $"{d.Minutes}m" : "") + seconds;
    }

    /// <summary>Go's <c>time.ParseInLocation(layout, value, time.Local)</c> for the numeric, month, weekday, AM/PM and offset elements; null when it does not parse.</summary>
    private static GoTime? Parse(string layout, string value)
    {
        int year = 1, month = 1, day = 1, hour = 0, minute = 0, second = 0;
        long ticks = 0;
        bool pm = false, hasAmPm = false;
        TimeSpan? offset = null;
        int v = 0;
        for (int i = 0; i < layout.Length;)
        {
            (string? token, int length) = GoLayout.Next(layout, i);
            if (token is null)
            {
                if (v >= value.Length || value[v] != layout[i])
                {
                    return null;
                }

                i++;
                v++;
                continue;
            }

            i += length;
            string rest = value[v..];
            int Number(int min, int max)
            {
                int n = 0;
                while (n < max && n < rest.Length && char.IsAsciiDigit(rest[n]))
                {
                    n++;
                }

                if (n < min)
                {
                    throw new FormatException();
                }

                v += n;
                return int.Parse(rest[..n], CultureInfo.InvariantCulture);
            }

            try
            {
                switch (token)
                {
                    case "2006": year = Number(4, 4); break;
                    case "06": year = Number(2, 2) is var y && y >= 69 ? 1900 + y : 2000 + y; break;
                    case "01": month = Number(2, 2); break;
                    case "1": month = Number(1, 2); break;
                    case "02": day = Number(2, 2); break;
                    case "2": day = Number(1, 2); break;
                    case "_2":
                        if (rest.StartsWith(' '))
                        {
                            v++;
                            rest = rest[1..];
                        }

                        day = Number(1, 2);
                        break;
                    case "15": hour = Number(1, 2); break;
                    case "03": hour = Number(2, 2); break;
                    case "3": hour = Number(1, 2); break;
                    case "04": minute = Number(2, 2); break;
                    case "4": minute = Number(1, 2); break;
                    case "05": second = Number(2, 2); break;
                    case "5": second = Number(1, 2); break;
                    case "PM" or "pm":
                        hasAmPm = true;
                        pm = rest.StartsWith(token == "PM" ? "PM" : "pm", StringComparison.Ordinal)
                            || (rest.StartsWith(token == "PM" ? "AM" : "am", StringComparison.Ordinal) ? false : throw new FormatException());
                        v += 2;
                        break;
                    case "January" or "Jan" or "Monday" or "Mon":
                        string format = token switch { "January" => "MMMM", "Jan" => "MMM", "Monday" => "dddd", _ => "ddd" };
                        string[] names = token.StartsWith('J') ? (format == "MMMM" ? CultureInfo.InvariantCulture.DateTimeFormat.MonthNames : CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedMonthNames)
                            : (format == "dddd" ? CultureInfo.InvariantCulture.DateTimeFormat.DayNames : CultureInfo.InvariantCulture.DateTimeFormat.AbbreviatedDayNames);
                        int k = Array.FindIndex(names, n => n.Length > 0 && rest.StartsWith(n, StringComparison.OrdinalIgnoreCase));
                        if (k < 0)
                        {
                            return null;
                        }

                        if (token.StartsWith('J'))
                        {
                            month = k + 1;
                        }

                        v += names[k].Length;
                        break;
                    case "MST":
                        int letters = 0;
                        while (letters < rest.Length && char.IsAsciiLetterUpper(rest[letters]))
                        {
                            letters++;
                        }

                        if (letters < 3)
                        {
                            return null;
                        }

                        v += letters;
                        break;
                    default:
                        if (token[0] is '-' or 'Z')
                        {
                            if (token[0] == 'Z' && rest.StartsWith('Z'))
                            {
                                offset = TimeSpan.Zero;
                                v++;
                                break;
                            }

                            int sign = rest.StartsWith('-') ? -1 : rest.StartsWith('+') ? 1 : throw new FormatException();
                            v++;
                            rest = value[v..];
                            int h = Number(2, 2);
                            int m = 0;
                            if (token.Contains("00", StringComparison.Ordinal) || token.Contains(":00", StringComparison.Ordinal))
                            {
                                if (token.Contains(':'))
                                {
                                    v = value[v..].StartsWith(':') ? v + 1 : throw new FormatException();
                                }

                                rest = value[v..];
                                m = Number(2, 2);
                            }

                            offset = TimeSpan.FromMinutes(sign * (h * 60 + m));
                        }
                        else
                        {
                            // A fraction of a second: its digits as the layout has them.
                            v = rest.StartsWith(token[0]) ? v + 1 : throw new FormatException();
                            rest = value[v..];
                            int start = v;
                            int n = Number(token[1] == '9' ? 0 : token.Length - 1, token[1] == '9' ? 9 : token.Length - 1);
                            string digits = value[start..v].PadRight(7, '0')[..7];
                            ticks = digits.Length == 0 ? 0 : long.Parse(digits, CultureInfo.InvariantCulture);
                            _ = n;
                        }

                        break;
                }
            }
            catch (FormatException)
            {
                return null;
            }
        }

        if (v != value.Length || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Clamp(year, 1, 9999), month) || hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        if (hasAmPm)
        {
            if (hour > 12)
            {
                return null;
            }

            hour = pm && hour < 12 ? hour + 12 : !pm && hour == 12 ? 0 : hour;
        }

        var wall = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        TimeZoneInfo local = TimeZoneInfo.Local;
        TimeSpan at = offset ?? local.GetUtcOffset(wall);
        return new GoTime(new DateTimeOffset(wall, at), offset is null || offset == local.GetUtcOffset(wall) ? local : TimeZoneInfo.CreateCustomTimeZone("fixed", at, "", ""));
    }
}
