using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;
using DurableWorkflows.GoTemplates.Reflect;

namespace DurableWorkflows.Core.Hardware;

/// <summary>
/// Writes a <see cref="HardwareRecord"/> as the whole Hardware object in tink's JSON keys, the mirror of
/// <see cref="HardwareReader"/>: empty strings, zeros, false, empty lists and absent objects are left out, as tink's
/// <c>omitempty</c> fields are.
/// </summary>
internal static class HardwareWriter
{
    public const string ApiVersion = "tinkerbell.org/v1alpha1";

    public static JsonObject Write(HardwareRecord record, string? name)
    {
        var metadata = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            metadata["name"] = name;
        }

        if (record.Annotations.Count > 0)
        {
            var annotations = new JsonObject();
            foreach (var (key, value) in record.Annotations.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                annotations[key] = value;
            }

            metadata["annotations"] = annotations;
        }

        return new JsonObject
        {
            ["apiVersion"] = ApiVersion,
            ["kind"] = "Hardware",
            ["metadata"] = metadata,
            ["spec"] = Value(record.Spec) ?? new JsonObject(),
        };
    }

    private static JsonNode? Value(object? value) => value switch
    {
        null or "" or 0L or false => null,
        string s => s,
        long l => l,
        bool b => b,
        IEnumerable list => List(list),
        _ when value.GetType().GetCustomAttribute<GoTypeAttribute>() is not null => Struct(value),
        _ => throw new InvalidOperationException($"cannot write a {value.GetType().Name}"),
    };

    private static JsonArray? List(IEnumerable list)
    {
        var array = new JsonArray();
        foreach (object? item in list)
        {
            array.Add(Value(item) ?? (item is string ? "" : new JsonObject()));
        }

        return array.Count == 0 ? null : array;
    }

    private static JsonObject Struct(object value)
    {
        var json = new JsonObject();
        foreach (PropertyInfo p in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            object? field = p.GetValue(value);
            if (p.GetCustomAttribute<GoJsonAttribute>() is not { } key)
            {
                continue;
            }

            // A *bool in Go: false is said, only nil is left out.
            if ((p.PropertyType == typeof(bool?) && field is bool set ? JsonValue.Create(set) : Value(field)) is { } written)
            {
                json[key.Name] = written;
            }
        }

        return json;
    }
}
