using System.Collections;
using System.Globalization;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>sprig's conversions (strval, strslice, empty) and spf13/cast's, as sprig calls them.</summary>
internal static class SprigValues
{
    /// <summary>The largest string a function may make (the rendered text's own bound): a hostile <c>repeat</c> fails instead of filling memory.</summary>
    public static long MaxText => RenderLimits.Current.MaxOutputChars;

    /// <summary>The longest list a function may make (a rendering's range bound).</summary>
    public static long MaxItems => RenderLimits.Current.MaxIterations;

    /// <summary>Fails a call whose result would pass <paramref name="limit"/>.</summary>
    public static void Bound(double size, long limit, string what)
    {
        if (size > limit)
        {
            throw new GoCallException($"{what} would be {size:0} long, over the limit of {limit}");
        }
    }

    /// <summary>sprig's <c>empty</c>: nil, false, 0, and empty strings, lists and maps.</summary>
    public static bool Empty(object? v) => v switch
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
    public static string StrVal(object? v) => v as string ?? GoFormat.ToText(v);

    /// <summary>sprig's <c>strslice</c>: the strings of a list (nil elements dropped), or the value alone.</summary>
    public static List<string> StrSlice(object? v)
    {
        if (v is null)
        {
            return [];
        }

        if (IsList(v))
        {
            var result = new List<string>();
            foreach (object? item in (IList)v)
            {
                if (item is not null)
                {
                    result.Add(StrVal(item));
                }
            }

            return result;
        }

        return [StrVal(v)];
    }

    /// <summary>A Go slice or array (reflect's Slice and Array kinds).</summary>
    public static bool IsList(object? v) => v is IList && v is not string;

    /// <summary>The elements of a list, as <c>[]interface{}</c>; a value of another kind fails as sprig's <c>must…</c> do.</summary>
    public static List<object?> Items(object? v, string what) =>
        IsList(v) ? [.. ((IList)v!).Cast<object?>()] : throw new GoCallException($"{what} {Kind(v)}");

    /// <summary>Go's <c>reflect.Kind</c> name of a value, as sprig's errors say it.</summary>
    public static string Kind(object? v) => v switch
    {
        null => throw new GoCallException("runtime error: invalid memory address or nil pointer dereference"),
        IDictionary => "map",
        IList => "slice",
        GoPointer or GoNil => "ptr",
        _ when GoValues.BasicKind(v) != GoValues.Kind.Invalid => GoValues.TypeName(v),
        _ => "struct",
    };

    /// <summary>cast's <c>ToInt64</c>: numbers truncated, bools 1 or 0, strings parsed as Go's base-0 integers; else 0.</summary>
    public static long ToInt64(object? v) => v switch
    {
        long l => l,
        GoInt64 g => g.Value,
        int i => i,
        byte b => b,
        double d => double.IsNaN(d) ? long.MinValue : d >= 9.2233720368547758E18 || d < -9.2233720368547758E18 ? long.MinValue : (long)d,
        bool b => b ? 1 : 0,
        string s => ParseGoInt(TrimZeroDecimal(s)) ?? 0,
        _ => 0,
    };

    /// <summary>cast's <c>ToFloat64</c>.</summary>
    public static double ToFloat64(object? v) => v switch
    {
        double d => d,
        long l => l,
        GoInt64 g => g.Value,
        int i => i,
        byte b => b,
        bool b => b ? 1 : 0,
        string s => double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double d) ? d : 0,
        _ => 0,
    };

    /// <summary>cast's <c>trimZeroDecimal</c>: <c>3.00</c> is <c>3</c>.</summary>
    private static string TrimZeroDecimal(string s)
    {
        bool foundZero = false;
        for (int i = s.Length; i > 0; i--)
        {
            switch (s[i - 1])
            {
                case '.':
                    if (foundZero)
                    {
                        return s[..(i - 1)];
                    }

                    break;
                case '0':
                    foundZero = true;
                    break;
                default:
                    return s;
            }
        }

        return s;
    }

    /// <summary>Go's <c>strconv.ParseInt(s, 0, 64)</c>: a sign, then <c>0x</c>, <c>0o</c>, <c>0b</c>, <c>0</c> (octal) or decimal digits, <c>_</c> between digits; null when it is not one.</summary>
    public static long? ParseGoInt(string s)
    {
        if (s.Length == 0)
        {
            return null;
        }

        bool negative = s[0] == '-';
        string body = s[0] is '-' or '+' ? s[1..] : s;
        int radix = 10;
        bool underscores = false;
        if (body.Length >= 2 && body[0] == '0')
        {
            (radix, body, underscores) = char.ToLowerInvariant(body[1]) switch
            {
                'x' => (16, body[2..], true),
                'o' => (8, body[2..], true),
                'b' => (2, body[2..], true),
                _ => (8, body[1..], true),
            };
        }

        if (underscores)
        {
            if (body.StartsWith('_') && radix != 8 || body.EndsWith('_') || body.Contains("__", StringComparison.Ordinal))
            {
                return null;
            }

            body = body.Replace("_", "", StringComparison.Ordinal);
        }

        if (body.Length == 0)
        {
            return radix == 8 ? 0 : null;
        }

        ulong value = 0;
        foreach (char c in body)
        {
            int digit = char.IsAsciiDigit(c) ? c - '0' : char.IsAsciiLetter(c) ? char.ToLowerInvariant(c) - 'a' + 10 : 99;
            if (digit >= radix)
            {
                return null;
            }

            if (value > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return null;
            }

            value = value * (ulong)radix + (ulong)digit;
        }

        return negative
            ? value <= 9223372036854775808UL ? (long)(0UL - value) : null
            : value <= long.MaxValue ? (long)value : null;
    }
}
