using System.Text.RegularExpressions;

namespace DurableWorkflows.Core.Contracts;

/// <summary>A Hardware record in the server's inventory: its name, its text as it was put (YAML or JSON), when.</summary>
public sealed record HardwareEntry(string Name, string Text, DateTimeOffset UpdatedAt);

/// <summary>Names of stored Hardware records and the instance ids that keep them.</summary>
public static partial class HardwareNames
{
    public const string InstancePrefix = "hardware:";

    public const int MaxLength = 253;

    /// <summary>The instance that keeps the record <paramref name="name"/>.</summary>
    public static string InstanceId(string name) => InstancePrefix + name;

    /// <summary>Null when <paramref name="name"/> is a valid record name, else why not.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a hardware name is required";
        }

        return NamePattern().IsMatch(name)
            ? null
            : $"'{name}' is not a valid hardware name: use 1 to {MaxLength} letters, digits, '-', '_' or '.', starting with a letter or digit";
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$")]
    private static partial Regex NamePattern();
}
