using System.Globalization;
using System.Text;

using static DurableWorkflows.GoTemplates.Sprig.SprigValues;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>
/// The sprig library (Masterminds/sprig v3, the text variant tink passes to <c>Funcs</c>), in sprig's argument order:
/// <c>trimPrefix PREFIX S</c>, <c>contains SUBSTR S</c>, <c>default DEFAULT VALUE</c>.
/// </summary>
public static class SprigFunctions
{
    private static readonly ParamType[] None = [];
    private static readonly ParamType[] OneString = [ParamType.String];
    private static readonly ParamType[] TwoStrings = [ParamType.String, ParamType.String];

    /// <summary>sprig's <c>FuncMap()</c>: the functions it adds to a template.</summary>
    public static FuncMap FuncMap { get; } = new(
    [
        new GoFunction("default", [ParamType.Any], ParamType.Any, a => a.Length < 2 || Empty(a[1]) ? a[0] : a[1]),
        new GoFunction("quote", None, ParamType.Any, a => string.Join(" ", a.Where(v => v is not null).Select(v => GoFormat.Quote(StrVal(v))))),
        new GoFunction("squote", None, ParamType.Any, a => string.Join(" ", a.Where(v => v is not null).Select(v => "'" + StrVal(v) + "'"))),
        new GoFunction("upper", OneString, null, a => ((string)a[0]!).ToUpperInvariant()),
        new GoFunction("lower", OneString, null, a => ((string)a[0]!).ToLowerInvariant()),
        new GoFunction("title", OneString, null, a => Title((string)a[0]!)),
        new GoFunction("trim", OneString, null, a => TrimSpace((string)a[0]!)),
        new GoFunction("trimPrefix", TwoStrings, null, a => ((string)a[1]!).StartsWith((string)a[0]!, StringComparison.Ordinal) ? ((string)a[1]!)[((string)a[0]!).Length..] : a[1]),
        new GoFunction("trimSuffix", TwoStrings, null, a => ((string)a[1]!).EndsWith((string)a[0]!, StringComparison.Ordinal) ? ((string)a[1]!)[..^((string)a[0]!).Length] : a[1]),
        new GoFunction("replace", [ParamType.String, ParamType.String, ParamType.String], null, a => ReplaceAll((string)a[2]!, (string)a[0]!, (string)a[1]!)),
        new GoFunction("join", [ParamType.String, ParamType.Any], null, a => string.Join((string)a[0]!, StrSlice(a[1]))),
        new GoFunction("split", TwoStrings, null, a => Split((string)a[0]!, (string)a[1]!)),
        new GoFunction("contains", TwoStrings, null, a => ((string)a[1]!).Contains((string)a[0]!, StringComparison.Ordinal)),
        new GoFunction("hasPrefix", TwoStrings, null, a => ((string)a[1]!).StartsWith((string)a[0]!, StringComparison.Ordinal)),
        new GoFunction("hasSuffix", TwoStrings, null, a => ((string)a[1]!).EndsWith((string)a[0]!, StringComparison.Ordinal)),
        new GoFunction("b64enc", OneString, null, a => Convert.ToBase64String(Encoding.UTF8.GetBytes((string)a[0]!))),
        new GoFunction("b64dec", OneString, null, a => Base64Decode((string)a[0]!)),
        new GoFunction("toJson", [ParamType.Any], null, a => GoFormat.ToJson(a[0])),
        .. SprigStrings.Functions(),
        .. SprigLists.Functions(),
        .. SprigNumbers.Functions(),
        .. SprigDicts.Functions(),
        .. SprigEncodings.Functions(),
        .. SprigWords.Functions(),
        .. SprigNonHermetic.Functions(),
        .. SprigDates.Functions(),
        .. SprigNetwork.Functions(),
        .. SprigCrypto.Functions(),
        .. SprigCertificates.Functions(),
    ]);

    /// <summary>sprig's <c>split</c>: a map with keys <c>_0</c>, <c>_1</c>, ...</summary>
    private static Dictionary<string, string> Split(string sep, string s)
    {
        string[] parts = sep.Length == 0
            ? [.. s.EnumerateRunes().Select(r => r.ToString())]
            : s.Split(sep);
        var result = new Dictionary<string, string>(parts.Length, StringComparer.Ordinal);
        for (int i = 0; i < parts.Length; i++)
        {
            result["_" + i.ToString(CultureInfo.InvariantCulture)] = parts[i];
        }

        return result;
    }

    /// <summary>Go's <c>strings.Replace(s, old, new, -1)</c>, an empty <paramref name="old"/> included.</summary>
    private static string ReplaceAll(string s, string old, string replacement)
    {
        if (old.Length > 0)
        {
            return s.Replace(old, replacement, StringComparison.Ordinal);
        }

        var sb = new StringBuilder(replacement);
        foreach (Rune r in s.EnumerateRunes())
        {
            sb.Append(r.ToString()).Append(replacement);
        }

        return sb.ToString();
    }

    private static string TrimSpace(string s) => s.Trim(' ', '\t', '\n', '\v', '\f', '\r', '\u0085', '\u00A0', '\u1680', '\u2000',
        '\u2001', '\u2002', '\u2003', '\u2004', '\u2005', '\u2006', '\u2007', '\u2008', '\u2009', '\u200A', '\u2028', '\u2029',
        '\u202F', '\u205F', '\u3000');

    /// <summary>Go's <c>strings.Title</c>: the first letter of each word in title case.</summary>
    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        Rune prev = new(' ');
        foreach (Rune r in s.EnumerateRunes())
        {
            sb.Append((IsSeparator(prev) ? Rune.ToUpperInvariant(r) : r).ToString());
            prev = r;
        }

        return sb.ToString();
    }

    private static bool IsSeparator(Rune r)
    {
        if (r.Value <= 0x7F)
        {
            char c = (char)r.Value;
            return !(char.IsAsciiLetterOrDigit(c) || c == '_');
        }

        if (Rune.IsLetter(r) || Rune.IsDigit(r))
        {
            return false;
        }

        return Rune.IsWhiteSpace(r);
    }

    /// <summary>sprig's <c>b64dec</c>: the decoded text, or Go's decoding error as the text.</summary>
    private static string Base64Decode(string s) => Base64Std(s, out string? error) is { } bytes ? Encoding.UTF8.GetString(bytes) : error!;

    /// <summary>Go's <c>base64.StdEncoding.DecodeString</c>: the bytes, or null and Go's error (line breaks are skipped, padding is required).</summary>
    internal static byte[]? Base64Std(string s, out string? error)
    {
        error = null;
        byte[] src = Encoding.UTF8.GetBytes(s);
        var dst = new List<byte>(src.Length * 3 / 4);
        int si = 0;
        while (true)
        {
            int[] dbuf = new int[4];
            int dlen = 4;
            bool end = false;
            for (int j = 0; j < 4; j++)
            {
                if (si == src.Length)
                {
                    if (j == 0)
                    {
                        return [.. dst];
                    }

                    return Corrupt(ref error, si - j);
                }

                byte c = src[si++];
                int val = DecodeChar(c);
                if (val >= 0)
                {
                    dbuf[j] = val;
                    continue;
                }

                if (c is (byte)'\n' or (byte)'\r')
                {
                    j--;
                    continue;
                }

                if (c != (byte)'=')
                {
                    return Corrupt(ref error, si - 1);
                }

                switch (j)
                {
                    case 0 or 1:
                        return Corrupt(ref error, si - 1);
                    case 2:
                        while (si < src.Length && src[si] is (byte)'\n' or (byte)'\r')
                        {
                            si++;
                        }

                        if (si == src.Length)
                        {
                            return Corrupt(ref error, src.Length);
                        }

                        if (src[si] != (byte)'=')
                        {
                            return Corrupt(ref error, si - 1);
                        }

                        si++;
                        break;
                }

                while (si < src.Length && src[si] is (byte)'\n' or (byte)'\r')
                {
                    si++;
                }

                if (si < src.Length)
                {
                    return Corrupt(ref error, si);
                }

                dlen = j;
                end = true;
                break;
            }

            int v = (dbuf[0] << 18) | (dbuf[1] << 12) | (dbuf[2] << 6) | dbuf[3];
            if (dlen >= 2)
            {
                dst.Add((byte)(v >> 16));
            }

            if (dlen >= 3)
            {
                dst.Add((byte)(v >> 8));
            }

            if (dlen >= 4)
            {
                dst.Add((byte)v);
            }

            if (end)
            {
                return [.. dst];
            }
        }

        static byte[]? Corrupt(ref string? error, int offset)
        {
            error = $"illegal base64 data at input byte {offset}";
            return null;
        }
    }

    private static int DecodeChar(byte c) => c switch
    {
        >= (byte)'A' and <= (byte)'Z' => c - 'A',
        >= (byte)'a' and <= (byte)'z' => c - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => c - '0' + 52,
        (byte)'+' => 62,
        (byte)'/' => 63,
        _ => -1,
    };
}
