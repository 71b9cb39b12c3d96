using System.Collections;
using System.Text;

namespace DurableWorkflows.GoTemplates.Funcs;

/// <summary>Go's built-in functions (text/template's funcs.go): every template has them; a <see cref="FuncMap"/> may override one.</summary>
internal static class Builtins
{
    private static readonly ParamType[] None = [];
    private static readonly ParamType[] OneValue = [ParamType.Value];
    private static readonly ParamType[] TwoValues = [ParamType.Value, ParamType.Value];
    private static readonly ParamType[] OneString = [ParamType.String];

    public static FuncMap FuncMap { get; } = new(
    [
        new GoFunction("and", OneValue, ParamType.Value, _ => null, Lazy: true),
        new GoFunction("or", OneValue, ParamType.Value, _ => null, Lazy: true),
        new GoFunction("not", OneValue, null, a => !GoValues.IsTrue(a[0])),
        new GoFunction("len", OneValue, null, a => Length(a[0])),
        new GoFunction("index", OneValue, ParamType.Value, a => Index(a[0], a.AsSpan(1))),
        new GoFunction("slice", OneValue, ParamType.Value, a => Slice(a[0], a.AsSpan(1))),
        new GoFunction("print", None, ParamType.Any, a => GoFormat.Sprint(a)),
        new GoFunction("printf", OneString, ParamType.Any, a => GoFormat.Sprintf((string)a[0]!, a[1..])),
        new GoFunction("println", None, ParamType.Any, a => GoFormat.Sprintln(a)),
        new GoFunction("eq", OneValue, ParamType.Value, a => Eq(a[0], a.AsSpan(1))),
        new GoFunction("ne", TwoValues, null, a => !Eq(a[0], a.AsSpan(1))),
        new GoFunction("lt", TwoValues, null, a => Lt(a[0], a[1])),
        new GoFunction("le", TwoValues, null, a => Lt(a[0], a[1]) || Eq(a[0], a.AsSpan(1))),
        new GoFunction("gt", TwoValues, null, a => !(Lt(a[0], a[1]) || Eq(a[0], a.AsSpan(1)))),
        new GoFunction("ge", TwoValues, null, a => !Lt(a[0], a[1])),
        new GoFunction("html", None, ParamType.Any, a => Escapers.Html(Escapers.Text(a))),
        new GoFunction("js", None, ParamType.Any, a => Escapers.Js(Escapers.Text(a))),
        new GoFunction("urlquery", None, ParamType.Any, a => Escapers.UrlQuery(Escapers.Text(a))),

        // A template's values are data and what functions return, never a function: call fails as Go's does on them.
        new GoFunction("call", [ParamType.Any], ParamType.Any, a => throw new GoCallException(a[0] is null ? "call of nil" : $"non-function of type {GoValues.TypeName(a[0])}")),
    ]);

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
}
