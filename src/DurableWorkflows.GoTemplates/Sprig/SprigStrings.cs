using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using static DurableWorkflows.GoTemplates.Sprig.SprigValues;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>sprig's string functions beyond the first few (strings.go, functions.go), byte-indexed as Go's strings are.</summary>
internal static class SprigStrings
{
    private static readonly ParamType[] OneString = [ParamType.String];
    private static readonly ParamType[] TwoStrings = [ParamType.String, ParamType.String];

    public static IEnumerable<GoFunction> Functions()
    {
        yield return new GoFunction("hello", [], null, _ => "Hello!");
        yield return new GoFunction("trunc", [ParamType.Int, ParamType.String], null, a => Trunc((long)a[0]!, (string)a[1]!));
        yield return new GoFunction("substr", [ParamType.Int, ParamType.Int, ParamType.String], null, a => Substring((long)a[0]!, (long)a[1]!, (string)a[2]!));
        yield return new GoFunction("repeat", [ParamType.Int, ParamType.String], null, a => Repeat((long)a[0]!, (string)a[1]!));
        yield return new GoFunction("trimall", TwoStrings, null, a => ((string)a[1]!).Trim(((string)a[0]!).ToCharArray()));
        yield return new GoFunction("trimAll", TwoStrings, null, a => ((string)a[1]!).Trim(((string)a[0]!).ToCharArray()));
        yield return new GoFunction("nospace", OneString, null, a => new string([.. ((string)a[0]!).Where(c => !char.IsWhiteSpace(c))]));
        yield return new GoFunction("untitle", OneString, null, a => Untitle((string)a[0]!));
        yield return new GoFunction("cat", [], ParamType.Any, a => string.Join(" ", a.Where(v => v is not null).Select(GoFormat.ToText)));
        yield return new GoFunction("indent", [ParamType.Int, ParamType.String], null, a => Indent((long)a[0]!, (string)a[1]!));
        yield return new GoFunction("nindent", [ParamType.Int, ParamType.String], null, a => "\n" + Indent((long)a[0]!, (string)a[1]!));
        yield return new GoFunction("plural", [ParamType.String, ParamType.String, ParamType.Int], null, a => (long)a[2]! == 1 ? a[0] : a[1]);
        yield return new GoFunction("sha1sum", OneString, null, a => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes((string)a[0]!))));
        yield return new GoFunction("sha256sum", OneString, null, a => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes((string)a[0]!))));
        yield return new GoFunction("adler32sum", OneString, null, a => Adler32(Encoding.UTF8.GetBytes((string)a[0]!)).ToString(CultureInfo.InvariantCulture));
        yield return new GoFunction("toString", [ParamType.Any], null, a => StrVal(a[0]));
        yield return new GoFunction("toStrings", [ParamType.Any], null, a => StrSlice(a[0]));
        yield return new GoFunction("splitList", TwoStrings, null, a => GoSplit((string)a[1]!, (string)a[0]!, -1));
        yield return new GoFunction("splitn", [ParamType.String, ParamType.Int, ParamType.String], null, a => Numbered(GoSplit((string)a[2]!, (string)a[0]!, (long)a[1]!)));
        yield return new GoFunction("initials", OneString, null, a => string.Concat(((string)a[0]!).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Select(w => char.ConvertFromUtf32(char.ConvertToUtf32(w, 0)))));
        yield return new GoFunction("fail", OneString, null, a => throw new GoCallException((string)a[0]!));
    }

    private static string Bytes(byte[] b) => Encoding.UTF8.GetString(b);

    private static string Trunc(long c, string s)
    {
        byte[] b = Encoding.UTF8.GetBytes(s);
        if (c < 0 && b.Length + c > 0)
        {
            return Bytes(b[(int)(b.Length + c)..]);
        }

        return c >= 0 && b.Length > c ? Bytes(b[..(int)c]) : s;
    }

    private static string Substring(long start, long end, string s)
    {
        byte[] b = Encoding.UTF8.GetBytes(s);
        if (start < 0)
        {
            return end < 0 || end > b.Length ? throw OutOfRange(end, b.Length) : Bytes(b[..(int)end]);
        }

        if (end < 0 || end > b.Length)
        {
            return start > b.Length ? throw OutOfRange(start, b.Length) : Bytes(b[(int)start..]);
        }

        return start > end ? throw new GoCallException($"runtime error: slice bounds out of range [{start}:{end}]") : Bytes(b[(int)start..(int)end]);
    }

    private static GoCallException OutOfRange(long index, int length) =>
        new($"runtime error: slice bounds out of range [:{index}] with length {length}");

    private static string Repeat(long count, string s)
    {
        if (count < 0)
        {
            throw new GoCallException("strings: negative Repeat count");
        }

        Bound((double)count * s.Length, MaxText, "the repeated text");
        return count == 0 || s.Length == 0 ? "" : new StringBuilder(s.Length * (int)count).Insert(0, s, (int)count).ToString();
    }

    private static string Indent(long spaces, string v)
    {
        Bound((v.Count(c => c == '\n') + 1.0) * spaces + v.Length, MaxText, "the indented text");
        string pad = spaces < 0 ? throw new GoCallException("strings: negative Repeat count") : new(' ', (int)spaces);
        return pad + v.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    /// <summary>sprig's <c>untitle</c>: the first letter of each space-separated word in lower case.</summary>
    private static string Untitle(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool start = true;
        foreach (char c in s)
        {
            sb.Append(start ? char.ToLowerInvariant(c) : c);
            start = char.IsWhiteSpace(c);
        }

        return sb.ToString();
    }

    /// <summary>Go's <c>strings.SplitN</c> (n &lt; 0: all; an empty separator splits into UTF-8 sequences).</summary>
    public static List<string> GoSplit(string s, string sep, long n)
    {
        if (n == 0)
        {
            return [];
        }

        if (sep.Length == 0)
        {
            var runes = s.EnumerateRunes().Select(r => r.ToString()).ToList();
            if (n > 0 && runes.Count > n)
            {
                runes[(int)n - 1] = string.Concat(runes.Skip((int)n - 1));
                runes.RemoveRange((int)n, runes.Count - (int)n);
            }

            return runes;
        }

        return n < 0 ? [.. s.Split(sep)] : [.. s.Split(sep, (int)Math.Min(n, int.MaxValue))];
    }

    private static Dictionary<string, string> Numbered(List<string> parts)
    {
        var result = new Dictionary<string, string>(parts.Count, StringComparer.Ordinal);
        for (int i = 0; i < parts.Count; i++)
        {
            result["_" + i.ToString(CultureInfo.InvariantCulture)] = parts[i];
        }

        return result;
    }

    private static uint Adler32(byte[] data)
    {
        uint a = 1, b = 0;
        foreach (byte d in data)
        {
            a = (a + d) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }
}
