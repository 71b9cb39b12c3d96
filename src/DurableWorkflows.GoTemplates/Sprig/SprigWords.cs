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
        // Go's base32.StdEncoding.DecodeString (1.19): line breaks dropped, then 8-character blocks with '=' padding.
        byte[] src = [.. Encoding.UTF8.GetBytes(s).Where(b => b is not ((byte)'\r' or (byte)'\n'))];
        var dst = new List<byte>(src.Length * 5 / 8);
        int olen = src.Length, at = 0;
        bool end = false;
        while (at < olen && !end)
        {
            byte[] dbuf = new byte[8];
            int dlen = 8;
            for (int j = 0; j < 8;)
            {
                if (at == olen)
                {
                    return Corrupt(olen - j);
                }

                byte c = src[at++];
                int left = olen - at;
                if (c == '=' && j >= 2 && left < 8)
                {
                    if (left + j < 8 - 1)
                    {
                        return Corrupt(olen);
                    }

                    for (int k = 0; k < 8 - 1 - j; k++)
                    {
                        if (left > k && src[at + k] != '=')
                        {
                            return Corrupt(at + k - 1);
                        }
                    }

                    dlen = j;
                    end = true;
                    if (dlen is 1 or 3 or 6)
                    {
                        return Corrupt(at - 1);
                    }

                    break;
                }

                int v = Base32Alphabet.IndexOf((char)c, StringComparison.Ordinal);
                if (c >= 0x80 || v < 0)
                {
                    return Corrupt(at - 1);
                }

                dbuf[j++] = (byte)v;
            }

            byte[] block =
            [
                (byte)((dbuf[0] << 3) | (dbuf[1] >> 2)),
                (byte)((dbuf[1] << 6) | (dbuf[2] << 1) | (dbuf[3] >> 4)),
                (byte)((dbuf[3] << 4) | (dbuf[4] >> 1)),
                (byte)((dbuf[4] << 7) | (dbuf[5] << 2) | (dbuf[6] >> 3)),
                (byte)((dbuf[6] << 5) | dbuf[7]),
            ];
            dst.AddRange(block.Take(dlen switch { 8 => 5, 7 => 4, 5 => 3, 4 => 2, 2 => 1, _ => 0 }));
        }

        return Encoding.UTF8.GetString([.. dst]);

        static string Corrupt(int offset) => $"illegal base32 data at input byte {offset}";
    }

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
}
