using System.Globalization;
using System.Text;

namespace DurableWorkflows.GoTemplates.Fmt;

/// <summary><c>strconv.Quote</c> and what it needs of Go's unicode tables.</summary>
internal static partial class GoFormat
{
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
}
