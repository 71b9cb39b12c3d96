using System.Globalization;
using System.Text;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>sprig's word functions from Masterminds/goutils (<c>abbrev</c>, <c>abbrevboth</c>, <c>wrap</c>, <c>wrapWith</c>, <c>swapcase</c>) and <c>b32dec</c>.</summary>
internal static class SprigWords
{
    public static IEnumerable<GoFunction> Functions()
    {
        yield return new GoFunction("abbrev", [ParamType.Int, ParamType.String], null, a => (long)a[0]! < 4 ? a[1] : AbbreviateFull((string)a[1]!, 0, (long)a[0]!));
        yield return new GoFunction("abbrevboth", [ParamType.Int, ParamType.Int, ParamType.String], null, a =>
            (long)a[1]! < 4 || ((long)a[0]! > 0 && (long)a[1]! < 7) ? a[2] : AbbreviateFull((string)a[2]!, (long)a[0]!, (long)a[1]!));
        yield return new GoFunction("wrap", [ParamType.Int, ParamType.String], null, a => Wrap((string)a[1]!, (long)a[0]!, "", longWords: false));
        yield return new GoFunction("wrapWith", [ParamType.Int, ParamType.String, ParamType.String], null, a => Wrap((string)a[2]!, (long)a[0]!, (string)a[1]!, longWords: true));
        yield return new GoFunction("snakecase", [ParamType.String], null, a => SnakeCase.Convert((string)a[0]!, '_'));
        yield return new GoFunction("kebabcase", [ParamType.String], null, a => SnakeCase.Convert((string)a[0]!, '-'));
        yield return new GoFunction("camelcase", [ParamType.String], null, a => CamelCase((string)a[0]!));
        yield return new GoFunction("swapcase", [ParamType.String], null, a => SwapCase((string)a[0]!));
        yield return new GoFunction("b32dec", [ParamType.String], null, a => Base32Decode((string)a[0]!));
    }

    /// <summary>goutils' <c>AbbreviateFull</c> (its errors give the empty string, as sprig ignores them).</summary>
    private static string AbbreviateFull(string s, long offset, long maxWidth)
    {
        if (s.Length == 0 || maxWidth < 4)
        {
            return "";
        }

        if (s.Length <= maxWidth)
        {
            return s;
        }

        offset = Math.Min(offset, s.Length);
        if (s.Length - offset < maxWidth - 3)
        {
            offset = s.Length - (maxWidth - 3);
        }

        if (offset <= 4)
        {
            return s[..(int)(maxWidth - 3)] + "...";
        }

        if (maxWidth < 7)
        {
            return "";
        }

        return offset + maxWidth - 3 < s.Length
            ? "..." + AbbreviateFull(s[(int)offset..], 0, maxWidth - 3)
            : "..." + s[(int)(s.Length - (maxWidth - 3))..];
    }

    /// <summary>goutils' <c>WrapCustom</c>.</summary>
    private static string Wrap(string s, long wrapLength, string newLine, bool longWords)
    {
        if (s.Length == 0)
        {
            return "";
        }

        newLine = newLine.Length == 0 ? "\n" : newLine;
        int width = (int)Math.Clamp(wrapLength, 1, int.MaxValue / 2);
        int offset = 0;
        var sb = new StringBuilder(s.Length);
        while (s.Length - offset > width)
        {
            if (s[offset] == ' ')
            {
                offset++;
                continue;
            }

            int end = width + offset + 1;
            int space = s.LastIndexOf(' ', end - 1, end - offset);
            if (space >= offset)
            {
                sb.Append(s, offset, space - offset).Append(newLine);
                offset = space + 1;
            }
            else if (longWords)
            {
                sb.Append(s, offset, width).Append(newLine);
                offset += width;
            }
            else
            {
                int next = s.IndexOf(' ', width + offset);
                if (next < 0)
                {
                    sb.Append(s, offset, s.Length - offset);
                    offset = s.Length;
                }
                else
                {
                    sb.Append(s, offset, next - offset).Append(newLine);
                    offset = next + 1;
                }
            }
        }

        return sb.Append(s, offset, s.Length - offset).ToString();
    }

    /// <summary>goutils' <c>SwapCase</c>: upper and title case to lower, lower to upper (title case after white space, the same letters but for a few digraphs).</summary>
    private static string SwapCase(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (Rune r in s.EnumerateRunes())
        {
            Rune swapped = Rune.GetUnicodeCategory(r) switch
            {
                UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter => Rune.ToLowerInvariant(r),
                UnicodeCategory.LowercaseLetter => Rune.ToUpperInvariant(r),
                _ => r,
            };
            sb.Append(swapped.ToString());
        }

        return sb.ToString();
    }

    /// <summary>xstrings' <c>ToCamelCase</c>: connectors (<c>_</c>, <c>-</c>, white space) dropped, the letter after one upper-cased, the rest lower-cased; leading connectors kept.</summary>
    private static string CamelCase(string s)
    {
        static bool Connector(Rune r) => r.Value is '-' or '_' || Rune.IsWhiteSpace(r);
        var runes = s.EnumerateRunes().ToList();
        if (runes.Count == 0)
        {
            return "";
        }

        var sb = new StringBuilder(s.Length);
        int i = 0;
        Rune r0 = default;
        for (; i < runes.Count; i++)
        {
            r0 = runes[i];
            if (!Connector(r0))
            {
                r0 = Rune.ToUpperInvariant(r0);
                i++;
                break;
            }

            sb.Append(r0.ToString());
        }

        if (i >= runes.Count)
        {
            return sb.Append(r0.ToString()).ToString();
        }

        for (; i < runes.Count; i++)
        {
            Rune r1 = r0;
            r0 = runes[i];
            if (Connector(r0) && Connector(r1))
            {
                sb.Append(r1.ToString());
                continue;
            }

            if (Connector(r1))
            {
                r0 = Rune.ToUpperInvariant(r0);
            }
            else
            {
                r0 = Rune.ToLowerInvariant(r0);
                sb.Append(r1.ToString());
            }
        }

        return sb.Append(r0.ToString()).ToString();
    }

    /// <summary>sprig's <c>b32dec</c>: the decoded text, or Go's decoding error as the text.</summary>
    private static string Base32Decode(string s)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        string text = s.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        if (text.Length % 8 != 0)
        {
            return $"illegal base32 data at input byte {text.Length / 8 * 8}";
        }

        var bytes = new List<byte>(text.Length * 5 / 8);
        for (int i = 0; i < text.Length; i += 8)
        {
            string block = text.Substring(i, 8);
            int pad = block.Length - block.TrimEnd('=').Length;
            if (pad is not (0 or 1 or 3 or 4 or 6) || (pad > 0 && i + 8 != text.Length))
            {
                return $"illegal base32 data at input byte {i + 8 - pad}";
            }

            ulong buffer = 0;
            for (int j = 0; j < 8; j++)
            {
                int v = j < 8 - pad ? alphabet.IndexOf(block[j], StringComparison.Ordinal) : 0;
                if (v < 0)
                {
                    return $"illegal base32 data at input byte {i + j}";
                }

                buffer = (buffer << 5) | (uint)v;
            }

            int count = pad switch { 0 => 5, 1 => 4, 3 => 3, 4 => 2, _ => 1 };
            for (int j = 0; j < count; j++)
            {
                bytes.Add((byte)(buffer >> (32 - 8 * j)));
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
