using System.Text.RegularExpressions;

namespace DurableWorkflows.Core.Contracts;

/// <summary>A record the server keeps (a Hardware record, a template): its name, its text as it was put (YAML or JSON), when.</summary>
public sealed record StoredRecord(string Name, string Text, DateTimeOffset UpdatedAt);

/// <summary>Names of stored Hardware records and the instance ids that keep them.</summary>
public static partial class HardwareNames
{
    public const string InstancePrefix = "hardware:";

    public const int MaxLength = 253;

    /// <summary>The instance that keeps the record <paramref name="name"/>.</summary>
    public static string InstanceId(string name) => InstancePrefix + name;

    /// <summary>Null when <paramref name="name"/> is a valid record name, else why not.</summary>
    public static string? Validate(string? name) => Validate("hardware", name);

    /// <summary>Null when <paramref name="name"/> is a valid name of a stored <paramref name="kind"/> (hardware, template), else why not.</summary>
    public static string? Validate(string kind, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return $"a {kind} name is required";
        }

        return NamePattern().IsMatch(name)
            ? null
            : $"'{name}' is not a valid {kind} name: use 1 to {MaxLength} letters, digits, '-', '_' or '.', starting with a letter or digit";
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$")]
    private static partial Regex NamePattern();
}

/// <summary>Names of stored templates (<c>PUT /api/templates/{name}</c>, a Workflow object's <c>templateRef</c>) and the instance ids that keep them.</summary>
public static class TemplateNames
{
    public const string InstancePrefix = "template:";

    public static string InstanceId(string name) => InstancePrefix + name;

    public static string? Validate(string? name) => HardwareNames.Validate("template", name);
}
