using System.Globalization;
using System.Text;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>A Go <c>time.Time</c>: an instant in a zone. <c>%v</c> prints it as Go's <c>String()</c> does.</summary>
internal sealed record GoTime(DateTimeOffset Instant, TimeZoneInfo Zone)
{
    public static GoTime Zero { get; } = new(new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero), TimeZoneInfo.Utc);

    /// <summary>The wall clock in its zone.</summary>
    public DateTimeOffset Local => TimeZoneInfo.ConvertTime(Instant, Zone);

    public GoTime In(TimeZoneInfo zone) => this with { Zone = zone };

    public override string ToString() => Format("2006-01-02 15:04:05.999999999 -0700 MST");

    /// <summary>Go's <c>Time.Format</c> with a reference-time layout (Go 1.19's elements).</summary>
    public string Format(string layout)
    {
        DateTimeOffset t = Local;
        var sb = new StringBuilder(layout.Length + 10);
        for (int i = 0; i < layout.Length;)
        {
            (string? token, int length) = GoLayout.Next(layout, i);
            if (token is null)
            {
                sb.Append(layout[i]);
                i++;
                continue;
            }

            sb.Append(Element(t, token));
            i += length;
        }

        return sb.ToString();
    }

    private string Element(DateTimeOffset t, string token)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        int hour12 = t.Hour % 12 == 0 ? 12 : t.Hour % 12;
        return token switch
        {
            "January" => t.ToString("MMMM", c),
            "Jan" => t.ToString("MMM", c),
            "Monday" => t.ToString("dddd", c),
            "Mon" => t.ToString("ddd", c),
            "MST" => ZoneName(t),
            "01" => t.Month.ToString("00", c),
            "1" => t.Month.ToString(c),
            "02" => t.Day.ToString("00", c),
            "2" => t.Day.ToString(c),
            "_2" => t.Day.ToString(c).PadLeft(2),
            "03" => hour12.ToString("00", c),
            "3" => hour12.ToString(c),
            "04" => t.Minute.ToString("00", c),
            "4" => t.Minute.ToString(c),
            "05" => t.Second.ToString("00", c),
            "5" => t.Second.ToString(c),
            "06" => (t.Year % 100).ToString("00", c),
            "2006" => t.Year.ToString("0000", c),
            "15" => t.Hour.ToString("00", c),
            "PM" => t.Hour >= 12 ? "PM" : "AM",
            "pm" => t.Hour >= 12 ? "pm" : "am",
            _ when token[0] is '-' or 'Z' => Offset(t.Offset, token),
            _ => Fraction(t, token),
        };
    }

    private string ZoneName(DateTimeOffset t) =>
        Zone == TimeZoneInfo.Utc || (Zone.Id is "UTC" or "Etc/UTC" && t.Offset == TimeSpan.Zero) ? "UTC" : Offset(t.Offset, "-07");

    private static string Offset(TimeSpan offset, string token)
    {
        if (token[0] == 'Z' && offset == TimeSpan.Zero)
        {
            return "Z";
        }

        string sign = offset < TimeSpan.Zero ? "-" : "+";
        TimeSpan a = offset.Duration();
        string h = a.Hours.ToString("00", CultureInfo.InvariantCulture), m = a.Minutes.ToString("00", CultureInfo.InvariantCulture), s = a.Seconds.ToString("00", CultureInfo.InvariantCulture);
        return token[1..] switch
        {
            "070000" => sign + h + m + s,
            "07:00:00" => sign + h + ":" + m + ":" + s,
            "0700" => sign + h + m,
            "07:00" => sign + h + ":" + m,
            _ => sign + h,
        };
    }

    /// <summary><c>.000</c> (fixed digits) or <c>.999</c> (trailing zeros dropped, and the point with them).</summary>
    private static string Fraction(DateTimeOffset t, string token)
    {
        long ticks = t.Ticks % TimeSpan.TicksPerSecond;
        string digits = (ticks * 100).ToString("000000000", CultureInfo.InvariantCulture)[..(token.Length - 1)];
        if (token[1] == '9')
        {
            digits = digits.TrimEnd('0');
            return digits.Length == 0 ? "" : token[0] + digits;
        }

        return token[0] + digits;
    }
}

/// <summary>Go's layout elements (time.nextStdChunk, Go 1.19).</summary>
internal static class GoLayout
{
    private static readonly string[] Offsets = ["070000", "07:00:00", "0700", "07:00", "07"];

    /// <summary>The element at <paramref name="i"/> and its length in the layout, or null for a literal character.</summary>
    public static (string? Token, int Length) Next(string layout, int i)
    {
        string rest = layout[i..];
        foreach (string token in new[] { "January", "Jan", "Monday", "Mon", "MST", "2006", "01", "02", "03", "04", "05", "06", "_2", "15", "PM", "pm" })
        {
            if (rest.StartsWith(token, StringComparison.Ordinal))
            {
                // "Jan" and "Mon" followed by a lower-case letter are words, not elements.
                bool word = token is "Jan" or "Mon" && rest.Length > 3 && char.IsAsciiLetterLower(rest[3]);
                return word ? (null, 1) : (token, token.Length);
            }
        }

        if (rest[0] is '1' or '2' or '3' or '4' or '5')
        {
            return (rest[..1], 1);
        }

        if (rest[0] is '-' or 'Z')
        {
            foreach (string offset in Offsets)
            {
                if (rest.Length > offset.Length && rest.AsSpan(1).StartsWith(offset, StringComparison.Ordinal))
                {
                    return (rest[0] + offset, offset.Length + 1);
                }
            }
        }

        if (rest[0] is '.' or ',' && rest.Length > 1 && rest[1] is '0' or '9')
        {
            int j = 1;
            while (j < rest.Length && rest[j] == rest[1])
            {
                j++;
            }

            if (j >= rest.Length || !char.IsAsciiDigit(rest[j]))
            {
                return (rest[..j], j);
            }
        }

        return (null, 1);
    }
}
