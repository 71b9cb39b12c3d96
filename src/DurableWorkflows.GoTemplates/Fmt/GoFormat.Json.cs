using System.Collections;
using System.Text;

namespace DurableWorkflows.GoTemplates.Fmt;

/// <summary><c>encoding/json.Marshal</c> as sprig's <c>toJson</c> calls it.</summary>
internal static partial class GoFormat
{
    /// <summary>Go's <c>encoding/json.Marshal</c> of a value (sorted map keys, HTML-safe escaping, struct tags).</summary>
    public static string ToJson(object? v) => ToJson(v, escapeHtml: true);

    /// <summary><c>encoding/json</c> with <c>SetEscapeHTML(escapeHtml)</c> (sprig's <c>toRawJson</c> turns it off).</summary>
    public static string ToJson(object? v, bool escapeHtml)
    {
        var sb = new StringBuilder();
        WriteJson(sb, v, 0, escapeHtml);
        return sb.ToString();
    }

    /// <summary><c>json.MarshalIndent(v, "", "  ")</c>, as sprig's <c>toPrettyJson</c> calls it.</summary>
    public static string ToPrettyJson(object? v)
    {
        string compact = ToJson(v);
        var sb = new StringBuilder(compact.Length * 2);
        int depth = 0;
        bool inString = false;
        for (int i = 0; i < compact.Length; i++)
        {
            char c = compact[i];
            if (inString)
            {
                sb.Append(c);
                if (c == '\\')
                {
                    sb.Append(compact[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    sb.Append(c);
                    break;
                case '{' or '[' when i + 1 < compact.Length && compact[i + 1] is '}' or ']':
                    sb.Append(c).Append(compact[++i]);
                    break;
                case '{' or '[':
                    sb.Append(c).Append('\n').Append(' ', 2 * ++depth);
                    break;
                case '}' or ']':
                    sb.Append('\n').Append(' ', 2 * --depth).Append(c);
                    break;
                case ',':
                    sb.Append(c).Append('\n').Append(' ', 2 * depth);
                    break;
                case ':':
                    sb.Append(": ");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }

    private static void WriteJson(StringBuilder sb, object? v, int depth, bool html)
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
            case long or int or byte or GoInt64:
                sb.Append(GoValues.AsInt(v).ToString(Inv));
                return;
            case double d:
                sb.Append(JsonFloat(d));
                return;
            case string s:
                JsonString(sb, s, html);
                return;
            case GoPointer p:
                WriteJson(sb, p.Target, depth + 1, html);
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
                    JsonString(sb, key, html);
                    sb.Append(':');
                    WriteJson(sb, map[key], depth + 1, html);
                }

                sb.Append('}');
                return;
            case GoNilList:
                sb.Append("null");
                return;
            case IList list:
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    WriteJson(sb, list[i], depth + 1, html);
                }

                sb.Append(']');
                return;
        }

        GoField[]? fields = GoValues.FieldsOf(v.GetType());
        if (fields is null)
        {
            JsonString(sb, v.ToString() ?? "", html);
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
            JsonString(sb, f.JsonName, html);
            sb.Append(':');
            WriteJson(sb, value, depth + 1, html);
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

    private static void JsonString(StringBuilder sb, string s, bool html = true)
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
                case '<' or '>' or '&' when html:
                    sb.Append("\\u").Append(((int)c).ToString("x4", Inv));
                    break;
                case '\u2028' or '\u2029':
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
