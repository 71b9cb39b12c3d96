using System.Text;

namespace DurableWorkflows.GoTemplates.Fmt;

/// <summary>Integers and runes under <c>%d %x %X %o %b %c %q %U</c>, with Go's padding.</summary>
internal static partial class GoFormat
{
    /// <summary>Pads a number, putting zero padding after the sign as Go does.</summary>
    private static void PadNumber(StringBuilder sb, string s, Spec spec)
    {
        if (spec.Zero && !spec.Minus && spec.Width > s.Length && s.Length > 0 && (s[0] is '-' or '+' or ' '))
        {
            sb.Append(s[0]).Append('0', spec.Width - s.Length).Append(s, 1, s.Length - 1);
            return;
        }

        Pad(sb, s, spec);
    }

    private static void FormatInteger(StringBuilder sb, object v, Spec spec)
    {
        long n = GoValues.AsInt(v);
        switch (spec.Verb)
        {
            case 'v' or 'd' or 'b' or 'o' or 'O' or 'x' or 'X':
                break;
            case 'c':
                Pad(sb, RuneText(n), spec);
                return;
            case 'q':
                Pad(sb, QuoteRune(n), spec);
                return;
            case 'U':
                string u = "U+" + (n < 0 ? "-" : "") + Math.Abs(n).ToString("X4", Inv);
                if (spec.Sharp && n is >= 0 and <= 0x10FFFF && Rune.IsValid((int)n))
                {
                    u += " '" + RuneText(n) + "'";
                }

                Pad(sb, u, spec);
                return;
            case 'e' or 'E' or 'f' or 'F' or 'g' or 'G' or 's' or 't' or 'p':
                BadVerb(sb, v, spec);
                return;
            default:
                BadVerb(sb, v, spec);
                return;
        }

        bool negative = n < 0;
        ulong mag = negative ? (ulong)(-(n + 1)) + 1 : (ulong)n;
        string digits = spec.Verb switch
        {
            'b' => Convert.ToString((long)mag, 2),
            'o' or 'O' => Convert.ToString((long)mag, 8),
            'x' => mag.ToString("x", Inv),
            'X' => mag.ToString("X", Inv),
            _ => mag.ToString(Inv),
        };
        if (spec.Precision >= 0)
        {
            if (spec.Precision == 0 && mag == 0)
            {
                digits = "";
            }
            else if (digits.Length < spec.Precision)
            {
                digits = new string('0', spec.Precision - digits.Length) + digits;
            }
        }

        string prefix = spec.Verb switch
        {
            'O' => "0o",
            'x' when spec.Sharp => "0x",
            'X' when spec.Sharp => "0X",
            'o' when spec.Sharp && !digits.StartsWith('0') => "0",
            'b' when spec.Sharp => "0b",
            _ => "",
        };
        string sign = negative ? "-" : spec.Plus ? "+" : spec.Space ? " " : "";
        string body = prefix + digits;
        if (spec.Zero && spec.Precision < 0 && !spec.Minus && spec.Width > sign.Length + body.Length)
        {
            sb.Append(sign).Append(prefix).Append('0', spec.Width - sign.Length - body.Length).Append(digits);
            return;
        }

        Pad(sb, sign + body, new Spec(spec.Verb) { Minus = spec.Minus, Width = spec.Width });
    }

    private static string RuneText(long n) =>
        n is >= 0 and <= 0x10FFFF && Rune.IsValid((int)n) ? char.ConvertFromUtf32((int)n) : "\uFFFD";

    private static string QuoteRune(long n)
    {
        if (!(n is >= 0 and <= 0x10FFFF && Rune.IsValid((int)n)))
        {
            // Go quotes an invalid rune as the replacement character itself, which prints.
            return "'\uFFFD'";
        }

        var r = new Rune((int)n);
        if (r.Value == '\'')
        {
            return "'\\''";
        }

        if (r.Value == '"')
        {
            return "'\"'";
        }

        var sb = new StringBuilder("'");
        AppendQuotedRune(sb, r);
        return sb.Append('\'').ToString();
    }

    private static void FormatString(StringBuilder sb, string s, Spec spec, object v)
    {
        if (spec.Precision >= 0 && spec.Verb is 's' or 'v' or 'q' or 'x' or 'X')
        {
            var runes = s.EnumerateRunes().Take(spec.Precision);
            s = string.Concat(runes.Select(r => r.ToString()));
        }

        switch (spec.Verb)
        {
            case 'v' when spec.Sharp:
                Pad(sb, Quote(s), spec);
                return;
            case 's' or 'v':
                Pad(sb, s, spec);
                return;
            case 'q':
                Pad(sb, spec.Sharp && CanBackquote(s) ? "`" + s + "`" : Quote(s), spec);
                return;
            case 'x' or 'X':
                byte[] bytes = Encoding.UTF8.GetBytes(s);
                var hex = new StringBuilder();
                for (int i = 0; i < bytes.Length; i++)
                {
                    if (spec.Space && i > 0)
                    {
                        hex.Append(' ');
                    }

                    if (spec.Sharp && (spec.Space || i == 0))
                    {
                        hex.Append(spec.Verb == 'x' ? "0x" : "0X");
                    }

                    hex.Append(bytes[i].ToString(spec.Verb == 'x' ? "x2" : "X2", Inv));
                }

                Pad(sb, hex.ToString(), spec);
                return;
            default:
                BadVerb(sb, v, spec);
                return;
        }
    }
}
