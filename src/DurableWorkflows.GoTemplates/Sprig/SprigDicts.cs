using static DurableWorkflows.GoTemplates.Sprig.SprigValues;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>
/// sprig's dictionaries (dict.go: <c>map[string]interface{}</c> only, as Go's call checks), defaults (defaults.go) and
/// reflection (reflect.go).
/// </summary>
internal static class SprigDicts
{
    private static readonly ParamType[] OneAny = [ParamType.Any];

    public static IEnumerable<GoFunction> Functions()
    {
        yield return new GoFunction("dict", [], ParamType.Any, a => Dict(a));
        yield return new GoFunction("get", [ParamType.Map, ParamType.String], null, a => Map(a[0]).TryGetValue((string)a[1]!, out object? v) ? v : "");
        yield return new GoFunction("set", [ParamType.Map, ParamType.String, ParamType.Any], null, a => { Dictionary<string, object?> d = a[0] is null ? throw new GoCallException("assignment to entry in nil map") : Map(a[0]); d[(string)a[1]!] = a[2]; return d; });
        yield return new GoFunction("unset", [ParamType.Map, ParamType.String], null, a => { Dictionary<string, object?> d = Map(a[0]); d.Remove((string)a[1]!); return d; });
        yield return new GoFunction("hasKey", [ParamType.Map, ParamType.String], null, a => Map(a[0]).ContainsKey((string)a[1]!));
        yield return new GoFunction("pluck", [ParamType.String], ParamType.Map, a => a[1..].Select(Map).Where(d => d.ContainsKey((string)a[0]!)).Select(d => d[(string)a[0]!]).ToList());
        yield return new GoFunction("keys", [], ParamType.Map, a => a.Select(Map).SelectMany(d => d.Keys).ToList());
        yield return new GoFunction("values", [ParamType.Map], null, a => Map(a[0]).Values.ToList());
        yield return new GoFunction("pick", [ParamType.Map], ParamType.String, a => Pick(Map(a[0]), a[1..].Cast<string>(), keep: true));
        yield return new GoFunction("omit", [ParamType.Map], ParamType.String, a => Pick(Map(a[0]), a[1..].Cast<string>(), keep: false));
        yield return new GoFunction("dig", [], ParamType.Any, a => Dig(a));
        foreach ((string name, bool overwrite) in new[] { ("merge", false), ("mustMerge", false), ("mergeOverwrite", true), ("mustMergeOverwrite", true) })
        {
            yield return new GoFunction(name, [ParamType.Map], ParamType.Map, a =>
            {
                Dictionary<string, object?> dst = Map(a[0]);
                foreach (object? src in a[1..])
                {
                    Merge(dst, Map(src), overwrite);
                }

                return dst;
            });
        }

        yield return new GoFunction("deepCopy", OneAny, null, a => a[0] is null ? throw new GoCallException("copy: nil value") : DeepCopy(a[0]));
        yield return new GoFunction("mustDeepCopy", OneAny, null, a => a[0] is null ? throw new GoCallException("copy: nil value") : DeepCopy(a[0]));

        yield return new GoFunction("empty", OneAny, null, a => Empty(a[0]));
        yield return new GoFunction("coalesce", [], ParamType.Any, a => a.FirstOrDefault(v => !Empty(v)));
        yield return new GoFunction("all", [], ParamType.Any, a => a.All(v => !Empty(v)));
        yield return new GoFunction("any", [], ParamType.Any, a => a.Any(v => !Empty(v)));
        yield return new GoFunction("ternary", [ParamType.Any, ParamType.Any, ParamType.Bool], null, a => (bool)a[2]! ? a[0] : a[1]);
        yield return new GoFunction("typeOf", OneAny, null, a => GoValues.TypeName(a[0]));
        yield return new GoFunction("typeIs", [ParamType.String, ParamType.Any], null, a => (string)a[0]! == GoValues.TypeName(a[1]));
        yield return new GoFunction("typeIsLike", [ParamType.String, ParamType.Any], null, a => (string)a[0]! == GoValues.TypeName(a[1]) || "*" + (string)a[0]! == GoValues.TypeName(a[1]));
        yield return new GoFunction("kindOf", OneAny, null, a => a[0] is null ? "invalid" : Kind(a[0]));
        yield return new GoFunction("kindIs", [ParamType.String, ParamType.Any], null, a => (string)a[0]! == (a[1] is null ? "invalid" : Kind(a[1])));
        yield return new GoFunction("deepEqual", [ParamType.Any, ParamType.Any], null, a => SprigLists.DeepEqual(a[0], a[1]));
    }

    /// <summary>A <c>map[string]interface{}</c> argument; any other value fails as Go's call does.</summary>
    /// <remarks>A nil argument is Go's nil map: it reads as empty (and a write to it fails, see <c>set</c>).</remarks>
    private static Dictionary<string, object?> Map(object? v) => v is null
        ? new Dictionary<string, object?>(StringComparer.Ordinal)
        : v as Dictionary<string, object?> ?? throw new GoCallException($"wrong type for value; expected map[string]interface {{}}; got {GoValues.TypeName(v)}");

    /// <summary>sprig's <c>dict</c>: key, value pairs (keys through strval; an odd last key gets "").</summary>
    private static Dictionary<string, object?> Dict(object?[] a)
    {
        var d = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (int i = 0; i < a.Length; i += 2)
        {
            d[StrVal(a[i])] = i + 1 < a.Length ? a[i + 1] : "";
        }

        return d;
    }

    private static Dictionary<string, object?> Pick(Dictionary<string, object?> d, IEnumerable<string> keys, bool keep)
    {
        var set = keys.ToHashSet(StringComparer.Ordinal);
        return d.Where(p => set.Contains(p.Key) == keep).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>
    /// mergo's <c>Merge</c> of one map into another, as sprig calls it: a key <paramref name="dst"/> lacks or holds an
    /// empty value takes <paramref name="src"/>'s; maps merge key by key; with <paramref name="overwrite"/> (mergeOverwrite)
    /// a scalar, a list or a nil of <paramref name="src"/> replaces what is there, but a map does not replace a non-empty value.
    /// </summary>
    private static void Merge(Dictionary<string, object?> dst, Dictionary<string, object?> src, bool overwrite)
    {
        foreach ((string key, object? value) in src)
        {
            bool has = dst.TryGetValue(key, out object? existing);
            switch (value)
            {
                case null:
                    if (overwrite)
                    {
                        dst[key] = null;
                    }

                    break;
                case Dictionary<string, object?> map:
                    if (existing is Dictionary<string, object?> inner)
                    {
                        Merge(inner, map, overwrite);
                    }

                    if (!has || Empty(existing))
                    {
                        dst[key] = value;
                    }

                    break;
                default:
                    if (overwrite || !has || Empty(existing))
                    {
                        dst[key] = value;
                    }

                    break;
            }
        }
    }

    /// <summary>A copy of maps and lists all the way down (copystructure's <c>Copy</c>).</summary>
    private static object? DeepCopy(object? v) => v switch
    {
        Dictionary<string, object?> map => map.ToDictionary(p => p.Key, p => DeepCopy(p.Value), StringComparer.Ordinal),
        Dictionary<string, string> strings => new Dictionary<string, string>(strings, StringComparer.Ordinal),
        List<object?> list => list.Select(DeepCopy).ToList(),
        _ => v,
    };

    /// <summary>sprig's <c>dig KEY... DEFAULT DICT</c>: the value at the keys' path, or the default.</summary>
    private static object? Dig(object?[] a)
    {
        if (a.Length < 3)
        {
            throw new GoCallException("dig needs at least three arguments");
        }

        Dictionary<string, object?> d = Map(a[^1]);
        string[] keys = [.. a[..^2].Select(k => k as string ?? throw new GoCallException($"dig: keys are strings, not {GoValues.TypeName(k)}"))];
        object? current = d;
        foreach (string key in keys)
        {
            if (current is not Dictionary<string, object?> map)
            {
                throw new GoCallException($"interface conversion: interface {{}} is {GoValues.TypeName(current)}, not map[string]interface {{}}");
            }

            if (!map.ContainsKey(key))
            {
                return a[^2];
            }

            current = map[key];
        }

        return current;
    }
}
