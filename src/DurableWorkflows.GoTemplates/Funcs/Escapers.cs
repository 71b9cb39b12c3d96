using System.Globalization;
using System.Text;

namespace DurableWorkflows.GoTemplates.Funcs;

/// <summary>Go's <c>html</c>, <c>js</c> and <c>urlquery</c> built-ins (text/template's funcs.go), as Go 1.19 escapes.</summary>
internal static class Escapers
{
    /// <summary>Go's <c>evalArgs</c>: one string as it is, anything else as <c>fmt.Sprint</c> prints the arguments (nil as <c>&lt;no value&gt;</c>).</summary>
    public static string Text(object?[] args) => args is [string s] ? s : GoFormat.Sprint([.. args.Select(a => a ?? "<no value>")]);

    /// <summary><c>template.HTMLEscapeString</c>.</summary>
    public static string Html(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '"' => "&#34;",
                '\'' => "&#39;",
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\0' => "\uFFFD",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary><c>template.JSEscapeString</c>.</summary>
    public static string Js(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (Rune r in s.EnumerateRunes())
        {
            string? escaped = r.Value switch
            {
                '\\' => @"\\",
                '\'' => @"\'",
                '"' => "\\\"",
                '<' => @"\u003C",
                '>' => @"\u003E",
                '&' => @"\u0026",
                '=' => @"\u003D",
                < ' ' => Unicode(r.Value),
                _ when r.Value < 0x80 => null,
                _ when IsPrint(r) => null,
                _ => Unicode(r.Value),
            };
            sb.Append(escaped ?? r.ToString());
        }

        return sb.ToString();

        static string Unicode(int v) => @"\u" + v.ToString("X4", CultureInfo.InvariantCulture);
    }

    /// <summary><c>url.QueryEscape</c>.</summary>
    public static string UrlQuery(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(s))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else if (c == ' ')
            {
                sb.Append('+');
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>Go's <c>unicode.IsPrint</c> for a rune beyond ASCII: letters, marks, numbers, punctuation, symbols.</summary>
    private static bool IsPrint(Rune r) => Rune.GetUnicodeCategory(r) switch
    {
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.SpaceSeparator => false,
        _ => true,
    };
}
