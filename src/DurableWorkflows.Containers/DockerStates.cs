using System.Globalization;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers;

/// <summary>Docker's container state words (<c>State.Status</c>) and times, read here so nothing above the container layer parses them.</summary>
public static class DockerStates
{
    /// <summary>Docker's word as a <see cref="DockerStatus"/>; a word this Docker version does not use is read as <see cref="DockerStatus.Dead"/>.</summary>
    public static DockerStatus Parse(string? status) => status switch
    {
        "created" => DockerStatus.Created,
        "running" => DockerStatus.Running,
        "paused" => DockerStatus.Paused,
        "restarting" => DockerStatus.Restarting,
        "removing" => DockerStatus.Removing,
        "exited" => DockerStatus.Exited,
        _ => DockerStatus.Dead,
    };

    /// <summary>Whether a container in this state has a process to stop: running, restarting or paused.</summary>
    public static bool HasProcess(DockerStatus status) => status is DockerStatus.Running or DockerStatus.Restarting or DockerStatus.Paused;

    /// <summary>A time Docker reported, as UTC whatever kind the client library gave it.</summary>
    public static DateTimeOffset AsUtc(DateTime time) =>
        time.Kind == DateTimeKind.Local ? new DateTimeOffset(time.ToUniversalTime()) : new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    /// <summary>A time Docker reported as text (StartedAt, FinishedAt); null for Docker's zero time.</summary>
    public static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1
            ? t.ToUniversalTime()
            : null;
}
