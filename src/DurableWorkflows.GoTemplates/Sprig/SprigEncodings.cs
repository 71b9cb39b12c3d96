using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>sprig's JSON, base32, regular expressions (Go's RE2 syntax, as .NET reads it) and slash-separated paths.</summary>
internal static class SprigEncodings
{
    private static readonly ParamType[] OneString = [ParamType.String];
    private static readonly ParamType[] OneAny = [ParamType.Any];
    private static readonly ParamType[] TwoStrings = [ParamType.String, ParamType.String];

    public static IEnumerable<GoFunction> Functions()
    {
        yield return new GoFunction("mustToJson", OneAny, null, a => GoFormat.ToJson(a[0]));
        yield return new GoFunction("toPrettyJson", OneAny, null, a => GoFormat.ToPrettyJson(a[0]));
        yield return new GoFunction("mustToPrettyJson", OneAny, null, a => GoFormat.ToPrettyJson(a[0]));
        yield return new GoFunction("toRawJson", OneAny, null, a => GoFormat.ToJson(a[0], escapeHtml: false));
        yield return new GoFunction("mustToRawJson", OneAny, null, a => GoFormat.ToJson(a[0], escapeHtml: false));
        yield return new GoFunction("fromJson", OneString, null, a => FromJson((string)a[0]!, must: false));
        yield return new GoFunction("mustFromJson", OneString, null, a => FromJson((string)a[0]!, must: true));
        yield return new GoFunction("b32enc", OneString, null, a => Base32Encode(Encoding.UTF8.GetBytes((string)a[0]!)));
        yield return new GoFunction("base", OneString, null, a => PathBase((string)a[0]!));
        yield return new GoFunction("dir", OneString, null, a => PathDir((string)a[0]!));
        yield return new GoFunction("clean", OneString, null, a => PathClean((string)a[0]!));
        yield return new GoFunction("ext", OneString, null, a => PathExt((string)a[0]!));
        yield return new GoFunction("isAbs", OneString, null, a => ((string)a[0]!).StartsWith('/'));
        yield return new GoFunction("osBase", OneString, null, a => PathBase((string)a[0]!));
        yield return new GoFunction("osDir", OneString, null, a => PathDir((string)a[0]!));
        yield return new GoFunction("osClean", OneString, null, a => PathClean((string)a[0]!));
        yield return new GoFunction("osExt", OneString, null, a => PathExt((string)a[0]!));
        yield return new GoFunction("osIsAbs", OneString, null, a => ((string)a[0]!).StartsWith('/'));
        foreach (bool must in new[] { false, true })
        {
            string m = must ? "must" : "";
            string R(string name) => must ? m + char.ToUpperInvariant(name[0]) + name[1..] : name;
            yield return new GoFunction(R("regexMatch"), TwoStrings, null, a => Compile((string)a[0]!, must || false) is { } r && r.IsMatch((string)a[1]!));
            yield return new GoFunction(R("regexFind"), TwoStrings, null, a => Compile((string)a[0]!, true)!.Match((string)a[1]!) is { Success: true } x ? x.Value : "");
            yield return new GoFunction(R("regexFindAll"), [ParamType.String, ParamType.String, ParamType.Int], null, a => FindAll(Compile((string)a[0]!, true)!, (string)a[1]!, (long)a[2]!));
            yield return new GoFunction(R("regexReplaceAll"), [ParamType.String, ParamType.String, ParamType.String], null, a => Compile((string)a[0]!, true)!.Replace((string)a[1]!, Expand((string)a[2]!)));
            yield return new GoFunction(R("regexReplaceAllLiteral"), [ParamType.String, ParamType.String, ParamType.String], null, a => Compile((string)a[0]!, true)!.Replace((string)a[1]!, ((string)a[2]!).Replace("$", "$$", StringComparison.Ordinal)));
            yield return new GoFunction(R("regexSplit"), [ParamType.String, ParamType.String, ParamType.Int], null, a => Split(Compile((string)a[0]!, true)!, (string)a[1]!, (long)a[2]!));
        }

        yield return new GoFunction("regexQuoteMeta", OneString, null, a => QuoteMeta((string)a[0]!));
    }

    private static object? FromJson(string text, bool must)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(text);
            return Value(document.RootElement);
        }
        catch (JsonException e)
        {
            return must ? throw new GoCallException(e.Message) : null;
        }
    }

    /// <summary>What Go's <c>json.Unmarshal</c> into <c>interface{}</c> makes: maps, lists, float64, strings, bools, nil.</summary>
    private static object? Value(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().GroupBy(p => p.Name).ToDictionary(g => g.Key, g => Value(g.Last().Value), StringComparer.Ordinal),
        JsonValueKind.Array => e.EnumerateArray().Select(Value).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    /// <summary>A Go regular expression; an invalid one fails the call (sprig's plain <c>regexMatch</c> answers false instead).</summary>
    private static Regex? Compile(string pattern, bool must)
    {
        try
        {
            // Go's named group (?P<name>...) is .NET's (?<name>...).
            return new Regex(pattern.Replace("(?P<", "(?<", StringComparison.Ordinal), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            return must ? throw new GoCallException($"error parsing regexp: {e.Message}") : null;
        }
    }

    /// <summary>Go's <c>FindAllString</c> (a nil result prints as the empty list it is here).</summary>
    private static List<string> FindAll(Regex r, string s, long n) =>
        n == 0 ? [] : [.. r.Matches(s).Select(m => m.Value).Take(n < 0 ? int.MaxValue : (int)Math.Min(n, int.MaxValue))];

    /// <summary>Go's <c>Regexp.Split</c>.</summary>
    private static List<string> Split(Regex r, string s, long n)
    {
        if (n == 0)
        {
            return [];
        }

        if (r.ToString().Length > 0 && s.Length == 0)
        {
            return [""];
        }

        var parts = new List<string>();
        int beg = 0;
        foreach (Match m in r.Matches(s))
        {
            if (n > 0 && parts.Count == n - 1)
            {
                break;
            }

            if (m.Length == 0 && m.Index == 0)
            {
                continue;
            }

            parts.Add(s[beg..m.Index]);
            beg = m.Index + m.Length;
        }

        parts.Add(s[beg..]);
        return parts;
    }

    /// <summary>Go's <c>$1</c>, <c>${name}</c> in a replacement, in .NET's form (<c>$$</c> for a dollar).</summary>
    private static string Expand(string template) =>
        Regex.Replace(template, @"\$(\$|\{[A-Za-z0-9_]+\}|[A-Za-z0-9_]+)", m => m.Value == "$$" ? "$$" : m.Groups[1].Value.StartsWith('{') ? "$" + m.Groups[1].Value : "${" + m.Groups[1].Value + "}");

    private static string QuoteMeta(string s)
    {
        var sb = new StringBuilder(s.Length * 2);
        foreach (char c in s)
        {
            if (@"\.+*?()|[]{}^$".Contains(c, StringComparison.Ordinal))
            {
                sb.Append('\\');
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string Base32Encode(byte[] data)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var sb = new StringBuilder((data.Length + 4) / 5 * 8);
        for (int i = 0; i < data.Length; i += 5)
        {
            int n = Math.Min(5, data.Length - i);
            ulong buffer = 0;
            for (int j = 0; j < 5; j++)
            {
                buffer = (buffer << 8) | (j < n ? data[i + j] : 0UL);
            }

            int chars = (n * 8 + 4) / 5;
            for (int j = 0; j < 8; j++)
            {
                sb.Append(j < chars ? alphabet[(int)((buffer >> (35 - 5 * j)) & 31)] : '=');
            }
        }

        return sb.ToString();
    }

    /// <summary>Go's <c>path.Clean</c>.</summary>
    private static string PathClean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        bool rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add(part);
                }

                continue;
            }

            parts.Add(part);
        }

        string cleaned = (rooted ? "/" : "") + string.Join('/', parts);
        return cleaned.Length == 0 ? "." : cleaned;
    }

    private static string PathBase(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        path = path.TrimEnd('/');
        if (path.Length == 0)
        {
            return "/";
        }

        int slash = path.LastIndexOf('/');
        return slash >= 0 ? path[(slash + 1)..] : path;
    }

    private static string PathDir(string path)
    {
        int slash = path.LastIndexOf('/');
        return PathClean(path[..(slash + 1)]);
    }

    private static string PathExt(string path)
    {
        for (int i = path.Length - 1; i >= 0 && path[i] != '/'; i--)
        {
            if (path[i] == '.')
            {
                return path[i..];
            }
        }

        return "";
    }
}
