using System.Collections;
using static DurableWorkflows.GoTemplates.Sprig.SprigValues;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>sprig's list functions (list.go): every one takes a Go slice or array, and its <c>must…</c> twin errors where it panics.</summary>
internal static class SprigLists
{
    private static readonly ParamType[] OneAny = [ParamType.Any];
    private static readonly ParamType[] TwoAny = [ParamType.Any, ParamType.Any];

    public static IEnumerable<GoFunction> Functions()
    {
        yield return new GoFunction("list", [], ParamType.Any, a => a.ToList());
        yield return new GoFunction("tuple", [], ParamType.Any, a => a.ToList());
        foreach (string name in new[] { "append", "push", "mustAppend", "mustPush" })
        {
            yield return new GoFunction(name, TwoAny, null, a => (List<object?>)[.. Items(a[0], "Cannot push on type"), a[1]]);
        }

        foreach (string name in new[] { "prepend", "mustPrepend" })
        {
            yield return new GoFunction(name, TwoAny, null, a => (List<object?>)[a[1], .. Items(a[0], "Cannot prepend on type")]);
        }

        foreach (string must in new[] { "", "must" })
        {
            yield return new GoFunction(Named(must, "first"), OneAny, null, a => Items(a[0], "Cannot find first on type") is { Count: > 0 } l ? l[0] : null);
            yield return new GoFunction(Named(must, "last"), OneAny, null, a => Items(a[0], "Cannot find last on type") is { Count: > 0 } l ? l[^1] : null);
            yield return new GoFunction(Named(must, "rest"), OneAny, null, a => Items(a[0], "Cannot find rest on type") is { Count: > 0 } l ? l[1..] : NilList());
            yield return new GoFunction(Named(must, "initial"), OneAny, null, a => Items(a[0], "Cannot find initial on type") is { Count: > 0 } l ? l[..^1] : NilList());
            yield return new GoFunction(Named(must, "reverse"), OneAny, null, a => Enumerable.Reverse(Items(a[0], "Cannot find reverse on type")).ToList());
            yield return new GoFunction(Named(must, "compact"), OneAny, null, a => Items(a[0], "Cannot compact on type").Where(v => !Empty(v)).ToList());
            yield return new GoFunction(Named(must, "uniq"), OneAny, null, a => Uniq(Items(a[0], "Cannot find uniq on type")));
            yield return new GoFunction(Named(must, "without"), OneAny, ParamType.Any, a => Items(a[0], "Cannot find without on type").Where(v => !a[1..].Any(o => DeepEqual(o, v))).ToList());
            yield return new GoFunction(Named(must, "has"), TwoAny, null, a => a[1] is null ? false : Items(a[1], "Cannot find has on type").Any(v => DeepEqual(a[0], v)));
            yield return new GoFunction(Named(must, "slice"), OneAny, ParamType.Any, a => Slice(a[0], a[1..]));
            yield return new GoFunction(Named(must, "chunk"), [ParamType.Int, ParamType.Any], null, a => Chunk((long)a[0]!, Items(a[1], "Cannot chunk type")));
        }

        yield return new GoFunction("concat", [], ParamType.Any, a => Concat(a));
        yield return new GoFunction("sortAlpha", OneAny, null, a => IsList(a[0]) ? StrSlice(a[0]).Order(StringComparer.Ordinal).ToList() : (List<string>)[StrVal(a[0])]);
    }

    private static string Named(string must, string name) => must.Length == 0 ? name : must + char.ToUpperInvariant(name[0]) + name[1..];

    /// <summary>A nil <c>[]interface{}</c>: prints <c>[]</c>, is empty.</summary>
    private static List<object?> NilList() => [];

    private static List<object?> Uniq(List<object?> items)
    {
        var result = new List<object?>();
        foreach (object? item in items)
        {
            if (!result.Any(r => DeepEqual(r, item)))
            {
                result.Add(item);
            }
        }

        return result;
    }

    private static object? Slice(object? list, object?[] indices)
    {
        List<object?> items = Items(list, "list should be type of slice or array but");
        if (items.Count == 0)
        {
            return null;
        }

        long start = indices.Length > 0 ? ToInt64(indices[0]) : 0;
        long end = indices.Length > 1 ? ToInt64(indices[1]) : items.Count;
        if (start < 0 || end < start || end > items.Count)
        {
            throw new GoCallException($"reflect: slice index out of range");
        }

        return items.GetRange((int)start, (int)(end - start));
    }

    /// <summary>sprig's <c>chunk</c>: a <c>[][]interface{}</c>, as <c>%#v</c> and <c>typeOf</c> show.</summary>
    private static List<List<object?>> Chunk(long size, List<object?> items)
    {
        if (size <= 0)
        {
            throw new GoCallException("runtime error: makeslice: len out of range");
        }

        var chunks = new List<List<object?>>();
        for (int i = 0; i < items.Count; i += (int)size)
        {
            chunks.Add(items.GetRange(i, (int)Math.Min(size, items.Count - i)));
        }

        return chunks;
    }

    private static object? Concat(object?[] lists)
    {
        // sprig appends to a nil slice: nothing to append leaves it nil (JSON null, %#v "(nil)").
        var result = new List<object?>();
        foreach (object? list in lists)
        {
            result.AddRange(Items(list, "Cannot concat type").Select(v => v));
            if (!IsList(list))
            {
                throw new GoCallException($"Cannot concat type {Kind(list)} as list");
            }
        }

        return result.Count > 0 ? result : new GoNilList();
    }

    /// <summary>Go's <c>reflect.DeepEqual</c> over the value model.</summary>
    public static bool DeepEqual(object? a, object? b) => (a, b) switch
    {
        (null, null) => true,
        (null, _) or (_, null) => false,
        (IDictionary x, IDictionary y) => x.Count == y.Count && x.Keys.Cast<object>().All(k => y.Contains(k) && DeepEqual(x[k], y[k])),
        (IList x, IList y) when a is not string && b is not string => (x is GoNilList) == (y is GoNilList) && x.Count == y.Count && Enumerable.Range(0, x.Count).All(i => DeepEqual(x[i], y[i])),
        _ => a.GetType() == b.GetType() && a.Equals(b),
    };
}
