using System.Globalization;
using System.Text.RegularExpressions;

namespace DurableWorkflows.Core.Scheduling;

/// <summary>How schedules and their runs are named.</summary>
public static partial class ScheduleNames
{
    /// <summary>Every schedule's orchestration instance id starts with this.</summary>
    public const string InstancePrefix = "schedule:";

    /// <summary>The longest schedule name: a run's id adds 17 characters, and a workflow id has at most 64.</summary>
    public const int MaxLength = 47;

    /// <summary>The format of the occurrence time in a run's id.</summary>
    public const string OccurrenceFormat = "yyyyMMdd'T'HHmmss'Z'";

    public static string InstanceId(string name) => InstancePrefix + name;

    /// <summary>The schedule name of an instance id, or null when the id is not a schedule's.</summary>
    public static string? FromInstanceId(string instanceId) =>
        instanceId.StartsWith(InstancePrefix, StringComparison.Ordinal) ? instanceId[InstancePrefix.Length..] : null;

    /// <summary>The deterministic workflow id of one occurrence: <c>{name}-{yyyyMMddTHHmmssZ}</c>.</summary>
    public static string RunId(string name, DateTimeOffset occurrence) =>
        name + "-" + occurrence.UtcDateTime.ToString(OccurrenceFormat, CultureInfo.InvariantCulture);

    /// <summary>Null when <paramref name="name"/> is a valid schedule name, else what is wrong with it.</summary>
    public static string? Validate(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a schedule name is required";
        }

        if (name.Length > MaxLength)
        {
            return $"schedule name '{name}' is longer than {MaxLength} characters";
        }

        return NamePattern().IsMatch(name)
            ? null
            : $"schedule name '{name}' must start with a letter or digit and contain only letters, digits, '-', '_' and '.'";
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
