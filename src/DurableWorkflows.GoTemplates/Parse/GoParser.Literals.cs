using System.Globalization;
using System.Numerics;
using System.Text;

namespace DurableWorkflows.GoTemplates.Parse;

/// <summary>String, character and number literals (Go's strconv rules).</summary>
internal sealed partial class GoParser
{
    private string Unquote(Token t)
    {
        string s = t.Value;
        if (t.Kind == TokenKind.RawString)
        {
            return s[1..^1].Replace("\r", "", StringComparison.Ordinal);
        }

        if (!TryUnquote(s.AsSpan(1, s.Length - 2), '"', out string value))
        {
            throw Fail($"malformed string literal {s}: invalid syntax");
        }

        return value;
    }

    /// <summary>Go's escape sequences (<c>strconv.Unquote</c>).</summary>
    internal static bool TryUnquote(ReadOnlySpan<char> body, char quote, out string value)
    {
        var sb = new StringBuilder(body.Length);
        value = "";
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c == quote || c == '\n')
            {
                return false;
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (++i >= body.Length)
            {
                return false;
            }

            c = body[i];
            switch (c)
            {
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case '\\': sb.Append('\\'); break;
                case '\'' or '"':
                    if (c != quote)
                    {
                        return false;
                    }

                    sb.Append(c);
                    break;
                case 'x' or 'u' or 'U':
                    int n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
                    if (i + n >= body.Length)
                    {
                        return false;
                    }

                    if (!int.TryParse(body.Slice(i + 1, n), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code))
                    {
                        return false;
                    }

                    i += n;
                    if (c == 'x')
                    {
                        // A byte: bytes of UTF-8 are not reassembled here; ASCII bytes are the common case.
                        sb.Append((char)code);
                    }
                    else
                    {
                        if (!Rune.IsValid(code))
                        {
                            return false;
                        }

                        sb.Append(char.ConvertFromUtf32(code));
                    }

                    break;
                case >= '0' and <= '7':
                    if (i + 2 >= body.Length)
                    {
                        return false;
                    }

                    int oct = 0;
                    for (int k = 0; k < 3; k++)
                    {
                        char d = body[i + k];
                        if (d is < '0' or > '7')
                        {
                            return false;
                        }

                        oct = (oct * 8) + (d - '0');
                    }

                    if (oct > 255)
                    {
                        return false;
                    }

                    sb.Append((char)oct);
                    i += 2;
                    break;
                default:
                    return false;
            }
        }

        value = sb.ToString();
        return true;
    }

    private NumberNode Number(Token t, int actionPos)
    {
        string text = t.Value;
        int end = t.Pos + text.Length;
        if (t.Kind == TokenKind.CharConstant)
        {
            if (!TryUnquote(text.AsSpan(1, text.Length - 2), '\'', out string ch) || ch.EnumerateRunes().Count() != 1)
            {
                throw Fail($"malformed character constant: {text}");
            }

            long rune = ch.EnumerateRunes().First().Value;
            return new NumberNode(t.Pos, end, actionPos, text, true, rune, true, rune, true);
        }

        if (text.EndsWith('i'))
        {
            throw Fail($"complex numbers are not supported: {text}");
        }

        if (TryParseInteger(text, out BigInteger big))
        {
            if (big < long.MinValue || big > long.MaxValue)
            {
                throw Fail($"integer overflow: {text}");
            }

            var l = (long)big;
            return new NumberNode(t.Pos, end, actionPos, text, true, l, true, l, false);
        }

        string plain = text.Replace("_", "", StringComparison.Ordinal);
        bool isHex = plain.TrimStart('+', '-').StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (!isHex && plain.IndexOfAny(['.', 'e', 'E']) >= 0
            && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && double.IsFinite(f))
        {
            bool isInt = Math.Floor(f) == f && Math.Abs(f) < 9.2e18;
            return new NumberNode(t.Pos, end, actionPos, text, isInt, isInt ? (long)f : 0, true, f, false);
        }

        throw Fail($"illegal number syntax: \"{text}\"");
    }

    private static bool TryParseInteger(string text, out BigInteger value)
    {
        value = BigInteger.Zero;
        string s = text;
        bool negative = false;
        if (s.StartsWith('+') || s.StartsWith('-'))
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        int radix = 10;
        bool prefixed = false;
        if (s.Length > 1 && s[0] == '0')
        {
            switch (char.ToLowerInvariant(s[1]))
            {
                case 'x': radix = 16; s = s[2..]; prefixed = true; break;
                case 'o': radix = 8; s = s[2..]; prefixed = true; break;
                case 'b': radix = 2; s = s[2..]; prefixed = true; break;
                default: radix = 8; s = s[1..]; break;
            }
        }

        if (s.Length == 0 || s.EndsWith('_') || s.Contains("__", StringComparison.Ordinal) || (!prefixed && s.StartsWith('_') && radix == 10))
        {
            return false;
        }

        s = s.TrimStart('_');
        if (s.Length == 0)
        {
            return false;
        }

        foreach (char c in s)
        {
            if (c == '_')
            {
                continue;
            }

            int d = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (d >= radix)
            {
                return false;
            }

            value = (value * radix) + d;
        }

        if (negative)
        {
            value = -value;
        }

        return true;
    }
}
