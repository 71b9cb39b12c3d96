using System.Collections;
using System.Globalization;
using System.Text;

namespace DurableWorkflows.GoTemplates.Fmt;

/// <summary>Go's <c>fmt</c> printing rules (<c>%v</c>, <c>Sprint</c>, <c>Sprintln</c>, <c>Sprintf</c>) over the value model.</summary>
internal static class GoFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>What an action prints: Go's <c>printValue</c> (a nil interface is <c>&lt;no value&gt;</c>).</summary>
    public static string PrintAction(object? v) => v switch
    {
        null => "<no value>",
        string s => s,
        GoPointer p => PrintAction(p.Target),
        _ => Sprint([v]),
    };

    /// <summary><c>fmt.Sprint</c>: spaces between operands when neither side is a string.</summary>
    public static string Sprint(IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < args.Count; i++)
        {
            if (i > 0 && args[i] is not string && args[i - 1] is not string)
            {
                sb.Append(' ');
            }

            Format(sb, args[i], PlainV, 0);
        }

        return sb.ToString();
    }

    private static readonly Spec PlainV = new('v');

    /// <summary><c>fmt.Sprintln</c>: spaces always, then a newline.</summary>
    public static string Sprintln(IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < args.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            Format(sb, args[i], new Spec('v'), 0);
        }

        return sb.Append('\n').ToString();
    }

    /// <summary>The <c>%v</c> text of a value.</summary>
    public static string ToText(object? v)
    {
        var sb = new StringBuilder();
        Format(sb, v, new Spec('v'), 0);
        return sb.ToString();
    }

    private sealed class Spec(char verb)
    {
        public char Verb { get; set; } = verb;
        public bool Minus { get; set; }
        public bool Plus { get; set; }
        public bool Sharp { get; set; }
        public bool Space { get; set; }
        public bool Zero { get; set; }
        public int Width { get; set; } = -1;
        public int Precision { get; set; } = -1;
    }

    /// <summary><c>fmt.Sprintf</c> with the common verbs and flags, and Go's <c>%!</c> error forms.</summary>
    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder(format.Length + 16);
        int argNum = 0;
        int i = 0;
        while (i < format.Length)
        {
            char c = format[i];
            if (c != '%')
            {
                int next = format.IndexOf('%', i);
                if (next < 0)
                {
                    next = format.Length;
                }

                sb.Append(format, i, next - i);
                i = next;
                continue;
            }

            i++;
            var spec = new Spec('v');
            for (; i < format.Length; i++)
            {
                switch (format[i])
                {
                    case '#': spec.Sharp = true; continue;
                    case '0': spec.Zero = !spec.Minus; continue;
                    case '+': spec.Plus = true; continue;
                    case '-': spec.Minus = true; spec.Zero = false; continue;
                    case ' ': spec.Space = true; continue;
                }

                break;
            }

            if (i < format.Length && format[i] == '*')
            {
                i++;
                if (argNum < args.Count && GoValues.IsIntKind(args[argNum]))
                {
                    long w = GoValues.AsInt(args[argNum]!);
                    argNum++;
                    if (w < 0)
                    {
                        spec.Minus = true;
                        spec.Zero = false;
                        w = -w;
                    }

                    spec.Width = (int)Math.Min(w, 1_000_000);
                }
                else
                {
                    argNum += argNum < args.Count ? 1 : 0;
                    sb.Append("%!(BADWIDTH)");
                }
            }
            else
            {
                int start = i;
                while (i < format.Length && char.IsAsciiDigit(format[i]))
                {
                    i++;
                }

                if (i > start)
                {
                    spec.Width = ParseBounded(format.AsSpan(start, i - start));
                }
            }

            if (i < format.Length && format[i] == '.')
            {
                i++;
                if (i < format.Length && format[i] == '*')
                {
                    i++;
                    if (argNum < args.Count && GoValues.IsIntKind(args[argNum]) && GoValues.AsInt(args[argNum]!) >= 0)
                    {
                        spec.Precision = (int)Math.Min(GoValues.AsInt(args[argNum]!), 1_000_000);
                        argNum++;
                    }
                    else
                    {
                        argNum += argNum < args.Count ? 1 : 0;
                        sb.Append("%!(BADPREC)");
                    }
                }
                else
                {
                    int start = i;
                    while (i < format.Length && char.IsAsciiDigit(format[i]))
                    {
                        i++;
                    }

                    spec.Precision = ParseBounded(format.AsSpan(start, i - start));
                }
            }

            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }

            char verb = format[i];
            if (char.IsHighSurrogate(verb) && i + 1 < format.Length)
            {
                sb.Append("%!").Append(format, i, 2).Append("(NOVERB)");
                i += 2;
                continue;
            }

            i++;
            spec.Verb = verb;
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }

            if (argNum >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            object? arg = args[argNum++];
            if (verb == 'T')
            {
                Pad(sb, GoValues.TypeName(arg), spec);
                continue;
            }

            Format(sb, arg, spec, 0);
        }

        if (argNum < args.Count)
        {
            sb.Append("%!(EXTRA ");
            for (int k = argNum; k < args.Count; k++)
            {
                if (k > argNum)
                {
                    sb.Append(", ");
                }

                sb.Append(GoValues.TypeName(args[k])).Append('=');
                Format(sb, args[k], new Spec('v'), 0);
            }

            sb.Append(')');
        }

        return sb.ToString();
    }

    private static int ParseBounded(ReadOnlySpan<char> digits)
    {
        if (digits.Length == 0)
        {
            return 0;
        }

        return digits.Length > 6 ? 1_000_000 : int.Parse(digits, NumberStyles.None, Inv);
    }

    private static void Format(StringBuilder sb, object? v, Spec spec, int depth)
    {
        if (depth > 64)
        {
            sb.Append("...");
            return;
        }

        switch (v)
        {
            case null:
                if (spec.Verb is 'v')
                {
                    Pad(sb, "<nil>", spec);
                }
                else
                {
                    sb.Append("%!").Append(spec.Verb).Append("(<nil>)");
                }

                return;
            case bool b:
                if (spec.Verb is 't' or 'v')
                {
                    Pad(sb, b ? "true" : "false", spec);
                }
                else
                {
                    BadVerb(sb, v, spec);
                }

                return;
            case long or int or byte:
                FormatInteger(sb, v, spec);
                return;
            case double d:
                FormatFloat(sb, d, spec);
                return;
            case string s:
                FormatString(sb, s, spec, v);
                return;
            case GoNil:
                if (spec.Verb is 'v' or 'p')
                {
                    Pad(sb, "<nil>", spec);
                }
                else
                {
                    BadVerb(sb, v, spec);
                }

                return;
            case GoPointer p:
                if (depth == 0)
                {
                    Format(sb, p.Target, spec, depth + 1);
                }
                else
                {
                    sb.Append('&');
                    Format(sb, p.Target, spec, depth + 1);
                }

                return;
            case IDictionary map:
                sb.Append(spec.Sharp && spec.Verb == 'v' ? GoValues.TypeName(v) + "{" : "map[");
                bool firstEntry = true;
                foreach (string key in GoValues.SortedKeys(map))
                {
                    if (!firstEntry)
                    {
                        sb.Append(spec.Sharp && spec.Verb == 'v' ? ", " : " ");
                    }

                    firstEntry = false;
                    Format(sb, key, spec, depth + 1);
                    sb.Append(':');
                    Format(sb, map[key], spec, depth + 1);
                }

                sb.Append(spec.Sharp && spec.Verb == 'v' ? '}' : ']');
                return;
            case IList list:
                if (spec.Sharp && spec.Verb == 'v')
                {
                    sb.Append(GoValues.TypeName(v)).Append('{');
                }
                else
                {
                    sb.Append('[');
                }

                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(spec.Sharp && spec.Verb == 'v' ? ", " : " ");
                    }

                    Format(sb, list[i], spec, depth + 1);
                }

                sb.Append(spec.Sharp && spec.Verb == 'v' ? '}' : ']');
                return;
        }

        GoField[]? fields = GoValues.FieldsOf(v.GetType());
        if (fields is null)
        {
            Pad(sb, v.ToString() ?? "", spec);
            return;
        }

        if (depth > 0)
        {
            sb.Append('&');
        }

        sb.Append('{');
        for (int i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            if (spec.Plus || spec.Sharp)
            {
                sb.Append(fields[i].Name).Append(':');
            }

            Format(sb, fields[i].Get(v), spec, depth + 1);
        }

        sb.Append('}');
    }

    private static void BadVerb(StringBuilder sb, object? v, Spec spec)
    {
        sb.Append("%!").Append(spec.Verb).Append('(').Append(GoValues.TypeName(v)).Append('=');
        Format(sb, v, new Spec('v'), 1);
        sb.Append(')');
    }

    private static void Pad(StringBuilder sb, string s, Spec spec)
    {
        if (spec.Width <= s.Length / 2)
        {
            // A string holds at least Length / 2 runes, so no padding is needed.
            sb.Append(s);
            return;
        }

        int len = s.EnumerateRunes().Count();
        if (spec.Width <= len)
        {
            sb.Append(s);
            return;
        }

        int pad = spec.Width - len;
        if (spec.Minus)
        {
            sb.Append(s).Append(' ', pad);
        }
        else
        {
            sb.Append(spec.Zero ? '0' : ' ', pad).Append(s);
        }
    }

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
            return "'\\ufffd'";
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

    private static void FormatFloat(StringBuilder sb, double d, Spec spec)
    {
        string text;
        switch (spec.Verb)
        {
            case 'v' or 'g' or 'G':
                text = FormatG(d, spec.Precision, spec.Sharp);
                if (spec.Verb == 'G')
                {
                    text = text.ToUpperInvariant();
                }

                break;
            case 'f' or 'F':
                text = double.IsFinite(d) ? d.ToString("F" + (spec.Precision < 0 ? 6 : spec.Precision), Inv) : Special(d);
                break;
            case 'e' or 'E':
                text = double.IsFinite(d) ? FormatE(d, spec.Precision < 0 ? 6 : spec.Precision) : Special(d);
                if (spec.Verb == 'E')
                {
                    text = text.ToUpperInvariant();
                }

                break;
            default:
                BadVerb(sb, d, spec);
                return;
        }

        if (double.IsFinite(d) && d == 0 && double.IsNegative(d) && !text.StartsWith('-'))
        {
            text = "-" + text;
        }

        if (!text.StartsWith('-') && !text.StartsWith('+'))
        {
            if (spec.Plus)
            {
                text = "+" + text;
            }
            else if (spec.Space)
            {
                text = " " + text;
            }
        }
        else if (text.StartsWith('+') && !spec.Plus)
        {
            text = text[1..];
        }

        if (!double.IsFinite(d))
        {
            Pad(sb, text, new Spec(spec.Verb) { Minus = spec.Minus, Width = spec.Width });
            return;
        }

        PadNumber(sb, text, spec);
    }

    private static string Special(double d) => double.IsNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";

    /// <summary>Go's <c>%e</c>: <c>d.dddddde±XX</c>, at least two exponent digits.</summary>
    private static string FormatE(double d, int precision)
    {
        string s = d.ToString("E" + precision, Inv);
        int e = s.IndexOf('E', StringComparison.Ordinal);
        string mantissa = s[..e];
        int exp = int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, Inv);
        return mantissa + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", Inv);
    }

    /// <summary>Go's <c>%g</c> (and <c>%v</c>): the shortest digits (or <paramref name="precision"/> significant
    /// ones), in exponent form when the exponent is below -4 or at least the precision (6 for the shortest form).</summary>
    public static string FormatG(double d, int precision = -1, bool sharp = false)
    {
        if (!double.IsFinite(d))
        {
            return Special(d);
        }

        if (d == 0)
        {
            return double.IsNegative(d) ? "-0" : "0";
        }

        (string digits, int pointPos) = precision < 0 ? ShortestDigits(d) : RoundedDigits(d, precision == 0 ? 1 : precision);
        string sign = d < 0 ? "-" : "";
        if (!sharp)
        {
            digits = digits.TrimEnd('0');
            if (digits.Length == 0)
            {
                digits = "0";
            }
        }

        int exp = pointPos - 1;
        int eprec;
        if (precision < 0)
        {
            eprec = 6;
        }
        else
        {
            eprec = precision == 0 ? 1 : precision;
            if (eprec > digits.Length && digits.Length >= pointPos)
            {
                eprec = digits.Length;
            }
        }

        if (exp < -4 || exp >= eprec)
        {
            string mant = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", Inv);
        }

        if (pointPos <= 0)
        {
            return sign + "0." + new string('0', -pointPos) + digits;
        }

        if (pointPos >= digits.Length)
        {
            return sign + digits + new string('0', pointPos - digits.Length);
        }

        return sign + digits[..pointPos] + "." + digits[pointPos..];
    }

    /// <summary>The shortest digits that round-trip, and where the decimal point goes (0.DIGITS × 10^pointPos).</summary>
    private static (string Digits, int PointPos) ShortestDigits(double d) => SplitE(Math.Abs(d).ToString("E16", Inv), Math.Abs(d).ToString("R", Inv));

    private static (string Digits, int PointPos) RoundedDigits(double d, int significant)
    {
        string e = Math.Abs(d).ToString("E" + (significant - 1), Inv);
        return SplitE(e, null);
    }

    private static (string Digits, int PointPos) SplitE(string eForm, string? roundTrip)
    {
        if (roundTrip is not null)
        {
            // "R" gives the shortest round-trip digits, in plain or exponent form.
            int ei = roundTrip.IndexOfAny(['E', 'e']);
            string mantissa = ei < 0 ? roundTrip : roundTrip[..ei];
            int exp10 = ei < 0 ? 0 : int.Parse(roundTrip.AsSpan(ei + 1), NumberStyles.AllowLeadingSign, Inv);
            int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
            string intPart = dot < 0 ? mantissa : mantissa[..dot];
            string frac = dot < 0 ? "" : mantissa[(dot + 1)..];
            string all = intPart + frac;
            int point = intPart.Length + exp10;
            int lead = 0;
            while (lead < all.Length - 1 && all[lead] == '0')
            {
                lead++;
            }

            all = all[lead..];
            point -= lead;
            all = all.TrimEnd('0');
            return (all.Length == 0 ? "0" : all, point);
        }

        int e = eForm.IndexOf('E', StringComparison.Ordinal);
        string m = eForm[..e].Replace(".", "", StringComparison.Ordinal);
        int x = int.Parse(eForm.AsSpan(e + 1), NumberStyles.AllowLeadingSign, Inv);
        return (m, x + 1);
    }

    /// <summary>Go's <c>strconv.Quote</c>.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (Rune r in s.EnumerateRunes())
        {
            if (r.Value == '"')
            {
                sb.Append("\\\"");
                continue;
            }

            AppendQuotedRune(sb, r);
        }

        return sb.Append('"').ToString();
    }

    private static void AppendQuotedRune(StringBuilder sb, Rune r)
    {
        int v = r.Value;
        switch (v)
        {
            case '\\': sb.Append("\\\\"); return;
            case '\a': sb.Append("\\a"); return;
            case '\b': sb.Append("\\b"); return;
            case '\f': sb.Append("\\f"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
            case '\v': sb.Append("\\v"); return;
        }

        if (IsPrint(r))
        {
            sb.Append(r.ToString());
        }
        else if (v < ' ' || v == 0x7f)
        {
            sb.Append("\\x").Append(v.ToString("x2", Inv));
        }
        else if (v < 0x10000)
        {
            sb.Append("\\u").Append(v.ToString("x4", Inv));
        }
        else
        {
            sb.Append("\\U").Append(v.ToString("x8", Inv));
        }
    }

    /// <summary>Go's <c>unicode.IsPrint</c>: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    private static bool IsPrint(Rune r)
    {
        if (r.Value == ' ')
        {
            return true;
        }

        UnicodeCategory c = Rune.GetUnicodeCategory(r);
        return c switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator => false,
            _ => true,
        };
    }

    private static bool CanBackquote(string s)
    {
        foreach (char c in s)
        {
            if (c == '`' || c == '\uFEFF' || (c < ' ' && c != '\t') || c == 0x7f)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Go's <c>encoding/json.Marshal</c> of a value (sorted map keys, HTML-safe escaping, struct tags).</summary>
    public static string ToJson(object? v)
    {
        var sb = new StringBuilder();
        WriteJson(sb, v, 0);
        return sb.ToString();
    }

    private static void WriteJson(StringBuilder sb, object? v, int depth)
    {
        if (depth > 64)
        {
            sb.Append("null");
            return;
        }

        switch (v)
        {
            case null or GoNil:
                sb.Append("null");
                return;
            case bool b:
                sb.Append(b ? "true" : "false");
                return;
            case long or int or byte:
                sb.Append(GoValues.AsInt(v).ToString(Inv));
                return;
            case double d:
                sb.Append(JsonFloat(d));
                return;
            case string s:
                JsonString(sb, s);
                return;
            case GoPointer p:
                WriteJson(sb, p.Target, depth + 1);
                return;
            case IDictionary map:
                sb.Append('{');
                bool first = true;
                foreach (string key in GoValues.SortedKeys(map))
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    JsonString(sb, key);
                    sb.Append(':');
                    WriteJson(sb, map[key], depth + 1);
                }

                sb.Append('}');
                return;
            case IList list:
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    WriteJson(sb, list[i], depth + 1);
                }

                sb.Append(']');
                return;
        }

        GoField[]? fields = GoValues.FieldsOf(v.GetType());
        if (fields is null)
        {
            JsonString(sb, v.ToString() ?? "");
            return;
        }

        sb.Append('{');
        bool firstField = true;
        foreach (GoField f in fields)
        {
            object? value = f.Get(v);
            if (f.OmitEmpty && IsEmptyForJson(value))
            {
                continue;
            }

            if (!firstField)
            {
                sb.Append(',');
            }

            firstField = false;
            JsonString(sb, f.JsonName);
            sb.Append(':');
            WriteJson(sb, value, depth + 1);
        }

        sb.Append('}');
    }

    private static bool IsEmptyForJson(object? v) => v switch
    {
        null or GoNil => true,
        bool b => !b,
        long or int or byte => GoValues.AsInt(v) == 0,
        double d => d == 0,
        string s => s.Length == 0,
        ICollection c => c.Count == 0,
        _ => false,
    };

    private static string JsonFloat(double d)
    {
        if (!double.IsFinite(d))
        {
            return "null";
        }

        double abs = Math.Abs(d);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            (string digits, int point) = ShortestDigits(d);
            int exp = point - 1;
            string mant = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            return (d < 0 ? "-" : "") + mant + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString(Inv);
        }

        return PlainDigits(d);
    }

    private static string PlainDigits(double d)
    {
        (string digits, int point) = ShortestDigits(d);
        string sign = d < 0 ? "-" : "";
        if (point <= 0)
        {
            return sign + "0." + new string('0', -point) + digits;
        }

        return point >= digits.Length
            ? sign + digits + new string('0', point - digits.Length)
            : sign + digits[..point] + "." + digits[point..];
    }

    private static void JsonString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", Inv));
                    break;
                default:
                    if (c < ' ')
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", Inv));
                    }
                    else if (char.IsSurrogate(c))
                    {
                        sb.Append(c);
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
