namespace DurableWorkflows.GoTemplates.Funcs;

/// <summary>How a function parameter takes its argument, as Go's reflection-based call does.</summary>
public enum ParamType
{
    /// <summary><c>interface{}</c>: any value, <c>nil</c> included.</summary>
    Any,

    /// <summary><c>reflect.Value</c> (the built-ins): any value, but not the <c>nil</c> literal.</summary>
    Value,
    String,
    Int,
    Bool,

    /// <summary><c>float64</c>: a float value, or a number constant.</summary>
    Float,

    /// <summary><c>map[string]interface{}</c>: such a map, or nil (the nil literal or a pipeline's nil; a field's nil is refused, as Go does).</summary>
    Map,

    /// <summary><c>uint32</c>: a non-negative integer constant only (the engine's values are <c>int</c>, which Go refuses here).</summary>
    Uint32,
}

/// <summary>A function failed; the executor reports it as <c>error calling NAME: message</c>.</summary>
public sealed class GoCallException(string message) : Exception(message);

/// <summary>One function a template may call: its name, how it takes its arguments, and what it does.</summary>
/// <param name="Lazy">and/or: arguments are evaluated only until the result is known.</param>
public sealed record GoFunction(string Name, ParamType[] Params, ParamType? Variadic, Func<object?[], object?> Invoke, bool Lazy = false);

/// <summary>A value with methods a template may call (<c>{{ $v.Major }}</c>, <c>{{ $v.LessThan $w }}</c>), found before its fields as Go's lookup finds them; it prints as its <c>ToString</c> (Go's <c>String</c> method).</summary>
public interface IGoMethods
{
    /// <summary>Go's name of the type, as <c>%T</c> and error messages show it.</summary>
    string GoTypeName { get; }

    /// <summary>The method of that name, bound to this value, or null when there is none.</summary>
    GoFunction? Method(string name);

    /// <summary>The Go struct's field values in order, as fmt prints them under a verb that is not a string verb; null when not a struct.</summary>
    IReadOnlyList<object?>? StructFields => null;
}

/// <summary>
/// Functions by name, as Go's <c>template.FuncMap</c>: what <see cref="GoTemplate.Funcs"/> adds to a template, a later
/// map's function winning over an earlier one's (and over a built-in) of the same name.
/// </summary>
public sealed class FuncMap : Dictionary<string, GoFunction>
{
    public FuncMap()
        : base(StringComparer.Ordinal)
    {
    }

    public FuncMap(IEnumerable<GoFunction> functions)
        : base(StringComparer.Ordinal)
    {
        ArgumentNullException.ThrowIfNull(functions);
        foreach (GoFunction f in functions)
        {
            this[f.Name] = f;
        }
    }
}
