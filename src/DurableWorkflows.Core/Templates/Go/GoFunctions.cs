using System.Collections;
using System.Globalization;
using System.Text;

namespace DurableWorkflows.Core.Templates.Go;

/// <summary>How a function parameter takes its argument, as Go's reflection-based call does.</summary>
internal enum ParamType
{
    /// <summary><c>interface{}</c>: any value, <c>nil</c> included.</summary>
    Any,

    /// <summary><c>reflect.Value</c> (the built-ins): any value, but not the <c>nil</c> literal.</summary>
    Value,
    String,
    Int,
    Bool,
}

/// <summary>A function failed; the executor reports it as <c>error calling NAME: message</c>.</summary>
internal sealed class GoCallException(string message) : Exception(message);

/// <param name="Lazy">and/or: arguments are evaluated only until the result is known.</param>
internal sealed record GoFunction(string Name, ParamType[] Params, ParamType? Variadic, Func<object?[], object?> Invoke, bool Lazy = false);

/// <summary>
/// The functions templates may call: Go's built-ins, the sprig functions Tinkerbell templates use (with sprig's
/// argument order: <c>trimPrefix PREFIX S</c>, <c>contains SUBSTR S</c>, <c>default DEFAULT VALUE</c>) and
/// Tinkerbell's <c>formatPartition</c>.
/// </summary>
internal static class GoFunctions
{
    private static readonly ParamType[] None = [];
    private static readonly ParamType[] OneValue = [ParamType.Value];
    private static readonly ParamType[] TwoValues = [ParamType.Value, ParamType.Value];
    private static readonly ParamType[] OneString = [ParamType.String];
    private static readonly ParamType[] TwoStrings = [ParamType.String, ParamType.String];

    public static IReadOnlyDictionary<string, GoFunction> All { get; } = Build();

    private static Dictionary<string, GoFunction> Build()
    {
        var list = new List<GoFunction>
        {
            // Go's built-ins (text/template funcs.go).
            new("and", OneValue, ParamType.Value, _ => null, Lazy: true),
            new("or", OneValue, ParamType.Value, _ => null, Lazy: true),
            new("not", OneValue, null, a => !GoValues.IsTrue(a[0])),
            new("len", OneValue, null, a => Length(a[0])),
            new("index", OneValue, ParamType.Value, a => Index(a[0], a.AsSpan(1))),
            new("slice", OneValue, ParamType.Value, a => Slice(a[0], a.AsSpan(1))),
            new("print", None, ParamType.Any, a => GoFormat.Sprint(a)),
            new("printf", OneString, ParamType.Any, a => GoFormat.Sprintf((string)a[0]!, a[1..])),
            new("println", None, ParamType.Any, a => GoFormat.Sprintln(a)),
            new("eq", OneValue, ParamType.Value, a => Eq(a[0], a.AsSpan(1))),
            new("ne", TwoValues, null, a => !Eq(a[0], a.AsSpan(1))),
            new("lt", TwoValues, null, a => Lt(a[0], a[1])),
            new("le", TwoValues, null, a => Lt(a[0], a[1]) || Eq(a[0], a.AsSpan(1))),
            new("gt", TwoValues, null, a => !(Lt(a[0], a[1]) || Eq(a[0], a.AsSpan(1)))),
            new("ge", TwoValues, null, a => !Lt(a[0], a[1])),

            // sprig.
            new("default", [ParamType.Any], ParamType.Any, a => a.Length < 2 || Empty(a[1]) ? a[0] : a[1]),
            new("quote", None, ParamType.Any, a => string.Join(" ", a.Where(v => v is not null).Select(v => GoFormat.Quote(StrVal(v))))),
            new("squote", None, ParamType.Any, a => string.Join(" ", a.Where(v => v is not null).Select(v => "'" + StrVal(v) + "'"))),
            new("upper", OneString, null, a => ((string)a[0]!).ToUpperInvariant()),
            new("lower", OneString, null, a => ((string)a[0]!).ToLowerInvariant()),
            new("title", OneString, null, a => Title((string)a[0]!)),
            new("trim", OneString, null, a => TrimSpace((string)a[0]!)),
            new("trimPrefix", TwoStrings, null, a => ((string)a[1]!).StartsWith((string)a[0]!, StringComparison.Ordinal) ? ((string)a[1]!)[((string)a[0]!).Length..] : a[1]),
            new("trimSuffix", TwoStrings, null, a => ((string)a[1]!).EndsWith((string)a[0]!, StringComparison.Ordinal) ? ((string)a[1]!)[..^((string)a[0]!).Length] : a[1]),
            new("replace", [ParamType.String, ParamType.String, ParamType.String], null, a => ReplaceAll((string)a[2]!, (string)a[0]!, (string)a[1]!)),
            new("join", [ParamType.String, ParamType.Any], null, a => string.Join((string)a[0]!, StrSlice(a[1]))),
            new("split", TwoStrings, null, a => Split((string)a[0]!, (string)a[1]!)),
            new("contains", TwoStrings, null, a => ((string)a[1]!).Contains((string)a[0]!, StringComparison.Ordinal)),
            new("hasPrefix", TwoStrings, null, a => ((string)a[1]!).StartsWith((string)a[0]!, StringComparison.Ordinal)),
            new("hasSuffix", TwoStrings, null, a => ((string)a[1]!).EndsWith((string)a[0]!, StringComparison.Ordinal)),
            new("b64enc", OneString, null, a => Convert.ToBase64String(Encoding.UTF8.GetBytes((string)a[0]!))),
            new("b64dec", OneString, null, a => Base64Decode((string)a[0]!)),
            new("toJson", [ParamType.Any], null, a => GoFormat.ToJson(a[0])),

            // Tinkerbell.
            new("formatPartition", [ParamType.String, ParamType.Int], null, a => FormatPartition((string)a[0]!, (long)a[1]!)),
        };
        return list.ToDictionary(f => f.Name, StringComparer.Ordinal);
    }

    /// <summary>Tinkerbell's <c>formatPartition</c>: <c>/dev/nvme0n1</c> and 1 give <c>/dev/nvme0n1p1</c>;
    /// <c>/dev/sda</c> (and vd, xvd, hd) and 1 give <c>/dev/sda1</c>; any other device is returned unchanged.</summary>
    public static string FormatPartition(string device, long partition)
    {
        string n = partition.ToString(CultureInfo.InvariantCulture);
        if (device.StartsWith("/dev/nvme", StringComparison.Ordinal))
        {
            return device + "p" + n;
        }

        if (device.StartsWith("/dev/sd", StringComparison.Ordinal) || device.StartsWith("/dev/vd", StringComparison.Ordinal)
            || device.StartsWith("/dev/xvd", StringComparison.Ordinal) || device.StartsWith("/dev/hd", StringComparison.Ordinal))
        {
            return device + n;
        }

        return device;
    }

    private static long Length(object? item)
    {
        if (item is GoPointer p)
        {
            item = p.Target;
        }

        return item switch
        {
            null or GoNil => throw new GoCallException("len of nil pointer"),
            string s => Encoding.UTF8.GetByteCount(s),
            ICollection c => c.Count,
            _ => throw new GoCallException($"len of type {GoValues.TypeName(item)}"),
        };
    }

    private static long IndexArg(object? index, int cap)
    {
        if (index is null)
        {
            throw new GoCallException("cannot index slice/array with nil");
        }

        if (!GoValues.IsIntKind(index))
        {
            throw new GoCallException($"cannot index slice/array with type {GoValues.TypeName(index)}");
        }

        long x = GoValues.AsInt(index);
        if (x < 0 || x > cap)
        {
            throw new GoCallException($"index out of range: {x}");
        }

        return x;
    }

    private static object? Index(object? item, ReadOnlySpan<object?> indexes)
    {
        if (item is null)
        {
            throw new GoCallException("index of untyped nil");
        }

        foreach (object? index in indexes)
        {
            if (item is GoPointer p)
            {
                item = p.Target;
            }

            switch (item)
            {
                case null or GoNil:
                    throw new GoCallException("index of nil pointer");
                case string s:
                {
                    byte[] bytes = Encoding.UTF8.GetBytes(s);
                    long x = IndexArg(index, bytes.Length);
                    if (x == bytes.Length)
                    {
                        throw new GoCallException($"index out of range: {x}");
                    }

                    item = bytes[x];
                    break;
                }

                case IDictionary map:
                    if (index is null)
                    {
                        throw new GoCallException("value is nil; should be of type string");
                    }

                    if (index is not string key)
                    {
                        throw new GoCallException($"value has type {GoValues.TypeName(index)}; should be string");
                    }

                    item = map.Contains(key) ? map[key] : GoValues.MapZero(map);
                    break;
                case IList list:
                {
                    long x = IndexArg(index, list.Count);
                    if (x == list.Count)
                    {
                        throw new GoCallException($"index out of range: {x}");
                    }

                    item = list[(int)x];
                    break;
                }

                default:
                    throw new GoCallException($"can't index item of type {GoValues.TypeName(item)}");
            }
        }

        return item;
    }

    private static object Slice(object? item, ReadOnlySpan<object?> indexes)
    {
        if (item is null)
        {
            throw new GoCallException("slice of untyped nil");
        }

        if (indexes.Length > 3)
        {
            throw new GoCallException($"too many slice indexes: {indexes.Length}");
        }

        int length;
        byte[]? bytes = null;
        switch (item)
        {
            case string s:
                if (indexes.Length == 3)
                {
                    throw new GoCallException("cannot 3-index slice a string");
                }

                bytes = Encoding.UTF8.GetBytes(s);
                length = bytes.Length;
                break;
            case IList list:
                length = list.Count;
                break;
            default:
                throw new GoCallException($"can't slice item of type {GoValues.TypeName(item)}");
        }

        long[] idx = [0, length, length];
        for (int i = 0; i < indexes.Length; i++)
        {
            idx[i] = IndexArg(indexes[i], length);
        }

        if (idx[0] > idx[1])
        {
            throw new GoCallException($"invalid slice index: {idx[0]} > {idx[1]}");
        }

        if (indexes.Length == 3 && idx[1] > idx[2])
        {
            throw new GoCallException($"invalid slice index: {idx[1]} > {idx[2]}");
        }

        if (bytes is not null)
        {
            return Encoding.UTF8.GetString(bytes, (int)idx[0], (int)(idx[1] - idx[0]));
        }

        var source = (IList)item;
        if (item is string[] strings)
        {
            return strings[(int)idx[0]..(int)idx[1]];
        }

        var result = new List<object?>((int)(idx[1] - idx[0]));
        for (long i = idx[0]; i < idx[1]; i++)
        {
            result.Add(source[(int)i]);
        }

        return result;
    }

    private static bool Eq(object? arg1, ReadOnlySpan<object?> others)
    {
        if (others.Length == 0)
        {
            throw new GoCallException("missing argument for comparison");
        }

        GoValues.Kind k1 = GoValues.BasicKind(arg1);
        foreach (object? arg in others)
        {
            GoValues.Kind k2 = GoValues.BasicKind(arg);
            bool truth;
            if (k1 != k2)
            {
                if (k1 == GoValues.Kind.Int && k2 == GoValues.Kind.Uint)
                {
                    truth = GoValues.AsInt(arg1!) >= 0 && GoValues.AsInt(arg1!) == GoValues.AsInt(arg!);
                }
                else if (k1 == GoValues.Kind.Uint && k2 == GoValues.Kind.Int)
                {
                    truth = GoValues.AsInt(arg!) >= 0 && GoValues.AsInt(arg1!) == GoValues.AsInt(arg!);
                }
                else if (arg1 is not null && arg is not null)
                {
                    throw new GoCallException("incompatible types for comparison");
                }
                else
                {
                    truth = false;
                }
            }
            else
            {
                truth = k1 switch
                {
                    GoValues.Kind.Bool => (bool)arg1! == (bool)arg!,
                    GoValues.Kind.Int or GoValues.Kind.Uint => GoValues.AsInt(arg1!) == GoValues.AsInt(arg!),
                    GoValues.Kind.Float => (double)arg1! == (double)arg!,
                    GoValues.Kind.String => (string)arg1! == (string)arg!,
                    _ => EqNonBasic(arg1, arg),
                };
            }

            if (truth)
            {
                return true;
            }
        }

        return false;
    }

    private static bool EqNonBasic(object? a, object? b)
    {
        bool aNil = a is null or GoNil;
        bool bNil = b is null or GoNil;
        if (aNil || bNil)
        {
            return aNil == bNil;
        }

        if (a is IList or IDictionary || b is IList or IDictionary)
        {
            throw new GoCallException($"non-comparable type {GoValues.TypeName(a is IList or IDictionary ? a : b)}");
        }

        if (GoValues.TypeName(a) != GoValues.TypeName(b))
        {
            throw new GoCallException("incompatible types for comparison");
        }

        return ReferenceEquals(a, b) || (a is GoPointer pa && b is GoPointer pb && ReferenceEquals(pa.Target, pb.Target));
    }

    private static bool Lt(object? arg1, object? arg2)
    {
        GoValues.Kind k1 = GoValues.BasicKind(arg1);
        GoValues.Kind k2 = GoValues.BasicKind(arg2);
        if (k1 == GoValues.Kind.Invalid || k2 == GoValues.Kind.Invalid)
        {
            throw new GoCallException("invalid type for comparison");
        }

        if (k1 != k2)
        {
            if (k1 == GoValues.Kind.Int && k2 == GoValues.Kind.Uint)
            {
                return GoValues.AsInt(arg1!) < 0 || GoValues.AsInt(arg1!) < GoValues.AsInt(arg2!);
            }

            if (k1 == GoValues.Kind.Uint && k2 == GoValues.Kind.Int)
            {
                return GoValues.AsInt(arg2!) >= 0 && GoValues.AsInt(arg1!) < GoValues.AsInt(arg2!);
            }

            throw new GoCallException("incompatible types for comparison");
        }

        return k1 switch
        {
            GoValues.Kind.Bool => throw new GoCallException("invalid type for comparison"),
            GoValues.Kind.Int or GoValues.Kind.Uint => GoValues.AsInt(arg1!) < GoValues.AsInt(arg2!),
            GoValues.Kind.Float => (double)arg1! < (double)arg2!,
            _ => string.CompareOrdinal((string)arg1!, (string)arg2!) < 0,
        };
    }

    /// <summary>sprig's <c>empty</c>: what <c>default</c> replaces.</summary>
    private static bool Empty(object? v) => v switch
    {
        null or GoNil => true,
        GoPointer => false,
        bool b => !b,
        string s => s.Length == 0,
        ICollection c => c.Count == 0,
        double d => d == 0,
        _ when GoValues.IsIntKind(v) => GoValues.AsInt(v!) == 0,
        _ => false,
    };

    /// <summary>sprig's <c>strval</c>: a string as is, anything else as <c>%v</c> prints it.</summary>
    private static string StrVal(object? v) => v as string ?? GoFormat.ToText(v);

    /// <summary>sprig's <c>strslice</c>: the strings of a list (nil elements dropped), or the value alone.</summary>
    private static IEnumerable<string> StrSlice(object? v)
    {
        switch (v)
        {
            case null:
                return [];
            case string[] strings:
                return strings;
            case IList list:
                var result = new List<string>(list.Count);
                foreach (object? item in list)
                {
                    if (item is not null)
                    {
                        result.Add(StrVal(item));
                    }
                }

                return result;
            default:
                return [StrVal(v)];
        }
    }

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
    private static string Base64Decode(string s)
    {
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
                        return Encoding.UTF8.GetString([.. dst]);
                    }

                    return Corrupt(si - j);
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
                    return Corrupt(si - 1);
                }

                switch (j)
                {
                    case 0 or 1:
                        return Corrupt(si - 1);
                    case 2:
                        while (si < src.Length && src[si] is (byte)'\n' or (byte)'\r')
                        {
                            si++;
                        }

                        if (si == src.Length)
                        {
                            return Corrupt(src.Length);
                        }

                        if (src[si] != (byte)'=')
                        {
                            return Corrupt(si - 1);
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
                    return Corrupt(si);
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
                return Encoding.UTF8.GetString([.. dst]);
            }
        }

        static string Corrupt(int offset) => $"illegal base64 data at input byte {offset}";
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
