using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace DurableWorkflows.GoTemplates.Reflect;

/// <summary>Names the Go type a class stands for (<c>v1alpha1.DHCP</c>), so templates see Go's struct semantics.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class GoTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}

/// <summary>The Go field's <c>json:"name,omitempty"</c> tag; without it the Go field name is the JSON key.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class GoJsonAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    public bool OmitEmpty { get; init; } = true;
}

/// <summary>Marks a struct-typed property Go holds by value, not through a pointer.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class GoByValueAttribute : Attribute;

/// <summary>A non-nil Go pointer to a basic value (<c>*bool</c>): true in <c>if</c> whatever it points to.</summary>
internal sealed record GoPointer(object Target, string TypeName);

/// <summary>A typed nil pointer (<c>(*v1alpha1.DHCP)(nil)</c>): false in <c>if</c>, prints <c>&lt;nil&gt;</c>.</summary>
internal sealed record GoNil(string TypeName);

/// <summary>A nil <c>[]interface{}</c>: empty as any list is, but JSON <c>null</c> and <c>%#v</c> <c>[]interface {}(nil)</c>.</summary>
internal sealed class GoNilList : List<object?>;

/// <summary>A Go <c>int64</c> (what sprig's arithmetic returns), apart from <c>int</c> (a C# <c>long</c>): Go tells them apart in
/// <c>%T</c>, in printf's bad-verb text and where a function takes an <c>int</c>.</summary>
internal readonly record struct GoInt64(long Value);

/// <summary>A Go struct field as templates see it.</summary>
internal sealed record GoField(string Name, string JsonName, bool OmitEmpty, Func<object, object?> Get);

/// <summary>
/// The Go value model of the interpreter. C# null is Go's nil interface; string, long (int), double (float64),
/// bool, byte (uint8) are Go's basic kinds; <see cref="IList"/> is a slice, <see cref="IDictionary"/> with
/// string keys a map, a class marked <see cref="GoTypeAttribute"/> a struct.
/// </summary>
internal static class GoValues
{
    private static readonly ConcurrentDictionary<Type, GoField[]?> StructFields = new();

    public static GoField[]? FieldsOf(Type type) => StructFields.GetOrAdd(type, BuildFields);

    public static bool IsStruct(object? v) => v is not null && FieldsOf(v.GetType()) is not null;

    private static GoField[]? BuildFields(Type type)
    {
        if (type.GetCustomAttribute<GoTypeAttribute>() is null)
        {
            return null;
        }

        var fields = new List<GoField>();
        foreach (PropertyInfo p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
        {
            if (p.GetIndexParameters().Length > 0 || p.Name == "EqualityContract")
            {
                continue;
            }

            GoJsonAttribute? json = p.GetCustomAttribute<GoJsonAttribute>();
            Type pt = p.PropertyType;
            string typeName = GoTypeNameOf(pt);
            Func<object, object?> get = CompileGetter(type, p);
            Func<object, object?> raw = get;
            if (pt == typeof(bool?))
            {
                get = o => raw(o) is bool b ? new GoPointer(b, "*bool") : new GoNil("*bool");
            }
            else if (pt.GetCustomAttribute<GoTypeAttribute>() is not null && p.GetCustomAttribute<GoByValueAttribute>() is null)
            {
                // A struct-typed property is a Go pointer to the struct; a null one is a typed nil.
                string pointerType = "*" + typeName;
                get = o => raw(o) is { } target ? new GoPointer(target, pointerType) : new GoNil(pointerType);
            }
            else if (pt == typeof(string))
            {
                get = o => raw(o) ?? "";
            }

            fields.Add(new GoField(p.Name, json?.Name ?? p.Name, json?.OmitEmpty ?? false, get));
        }

        return [.. fields];
    }

    private static Func<object, object?> CompileGetter(Type type, PropertyInfo p)
    {
        ParameterExpression instance = Expression.Parameter(typeof(object), "o");
        UnaryExpression body = Expression.Convert(Expression.Property(Expression.Convert(instance, type), p), typeof(object));
        return Expression.Lambda<Func<object, object?>>(body, instance).Compile();
    }

    private static readonly ConcurrentDictionary<Type, Dictionary<string, GoField>?> FieldsByName = new();

    public static bool TryGetField(object receiver, string name, out object? value)
    {
        Dictionary<string, GoField>? fields = FieldsByName.GetOrAdd(
            receiver.GetType(),
            static t => FieldsOf(t)?.ToDictionary(f => f.Name, StringComparer.Ordinal));
        if (fields is not null && fields.TryGetValue(name, out GoField? f))
        {
            value = f.Get(receiver);
            return true;
        }

        value = null;
        return false;
    }

    private static string GoTypeNameOf(Type t)
    {
        if (t == typeof(string))
        {
            return "string";
        }

        if (t == typeof(long))
        {
            return "int64";
        }

        if (t == typeof(bool))
        {
            return "bool";
        }

        if (t == typeof(bool?))
        {
            return "*bool";
        }

        if (t.GetCustomAttribute<GoTypeAttribute>() is { } g)
        {
            return g.Name;
        }

        Type? element = ElementType(t);
        if (element is not null)
        {
            return "[]" + GoTypeNameOf(element);
        }

        return "interface {}";
    }

    private static Type? ElementType(Type t)
    {
        if (t.IsArray)
        {
            return t.GetElementType();
        }

        foreach (Type i in t.GetInterfaces().Append(t))
        {
            if (i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
            {
                return i.GetGenericArguments()[0];
            }
        }

        return null;
    }

    /// <summary>Go's name of the value's type, as <c>%T</c> and error messages show it.</summary>
    public static string TypeName(object? v) => v switch
    {
        null => "<nil>",
        string => "string",
        long => "int",
        GoInt64 => "int64",
        Sprig.GoTime => "time.Time",
        IGoMethods m => m.GoTypeName,
        int => "int32",
        byte => "uint8",
        double => "float64",
        bool => "bool",
        GoPointer p => p.TypeName,
        GoNil n => n.TypeName,
        IDictionary<string, string> => "map[string]string",
        IDictionary => "map[string]interface {}",
        IList l => TypeNames.GetOrAdd(l.GetType(), static t => SliceTypeName(t)),
        _ => TypeNames.GetOrAdd(v.GetType(), static t => t.GetCustomAttribute<GoTypeAttribute>()?.Name ?? t.Name),
    };

    private static readonly ConcurrentDictionary<Type, string> TypeNames = new();

    private static string SliceTypeName(Type listType)
    {
        Type? element = ElementType(listType);
        return element is null || element == typeof(object) ? "[]interface {}" : "[]" + GoTypeNameOf(element);
    }

    /// <summary>Go's <c>if</c> truth: false, 0, nil, an empty string, slice or map are false; structs are true.</summary>
    public static bool IsTrue(object? v) => v switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        GoInt64 g => g.Value != 0,
        int i => i != 0,
        byte b => b != 0,
        double d => d != 0,
        string s => s.Length > 0,
        GoNil => false,
        GoPointer => true,
        ICollection c => c.Count > 0,
        _ => true,
    };

    public enum Kind
    {
        Invalid,
        Bool,
        Int,
        Uint,
        Float,
        String,
    }

    public static Kind BasicKind(object? v) => v switch
    {
        bool => Kind.Bool,
        long or int or GoInt64 => Kind.Int,
        byte => Kind.Uint,
        double => Kind.Float,
        string => Kind.String,
        _ => Kind.Invalid,
    };

    public static long AsInt(object v) => v switch
    {
        long l => l,
        GoInt64 g => g.Value,
        int i => i,
        byte b => b,
        _ => 0,
    };

    public static bool IsIntKind(object? v) => v is long or int or byte or GoInt64;

    public static bool IsSliceLike(object? v) => v is IList && v is not string;

    /// <summary>The keys of a string-keyed map in Go's printing and ranging order (sorted).</summary>
    public static List<string> SortedKeys(IDictionary map)
    {
        var keys = new List<string>(map.Count);
        foreach (object k in map.Keys)
        {
            keys.Add((string)k);
        }

        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    /// <summary>The zero value of a map's element type (what <c>index</c> returns for a missing key).</summary>
    public static object? MapZero(IDictionary map) => map is IDictionary<string, string> ? "" : null;
}
