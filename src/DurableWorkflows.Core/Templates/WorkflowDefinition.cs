using DurableWorkflows.GoTemplates;

namespace DurableWorkflows.Core.Templates;

/// <summary>A rendered, parsed and validated workflow template (Tinkerbell format plus services).</summary>
public sealed record WorkflowDefinition(
    string Version,
    string Name,
    int GlobalTimeoutSeconds,
    IReadOnlyList<ServiceDefinition> Services,
    IReadOnlyList<TaskDefinition> Tasks);

public sealed record TaskDefinition(
    string Name,
    string Worker,
    IReadOnlyList<string> Volumes,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<ActionDefinition> Actions,
    SourceLocation Location = default);

public sealed record ActionDefinition(
    string Name,
    string Image,
    int? TimeoutSeconds,
    IReadOnlyList<string>? Command,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Volumes,
    string? Pid,
    IReadOnlyList<string>? OnTimeout,
    IReadOnlyList<string>? OnFailure,
    int Retries,
    SourceLocation Location = default)
{
    /// <summary>When a container of this action (or of its handler) that started at <paramref name="startedAt"/> must have
    /// ended: its timeout counts from the container's start, not from when the start was asked for; null without one.</summary>
    public DateTimeOffset? DeadlineAfter(DateTimeOffset startedAt) => TimeoutSeconds is > 0 ? startedAt.AddSeconds(TimeoutSeconds.Value) : null;
}

public sealed record ServiceDefinition(
    string Name,
    string Worker,
    string Image,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Volumes,
    IReadOnlyList<string>? Command,
    HealthcheckDefinition? Healthcheck,
    RestartPolicy Restart,
    TimeSpan StartupTimeout,
    SourceLocation Location = default);

/// <summary>docker compose's healthcheck form. <c>Disable</c> turns off the image's HEALTHCHECK.</summary>
public sealed record HealthcheckDefinition(
    IReadOnlyList<string>? Test,
    TimeSpan? Interval,
    TimeSpan? Timeout,
    int? Retries,
    TimeSpan? StartPeriod,
    bool Disable);

/// <summary><c>no</c> or <c>on-failure[:N]</c>.</summary>
public sealed record RestartPolicy(RestartMode Mode, int MaxRetries)
{
    public const int DefaultMaxRetries = 3;
    public static RestartPolicy Default { get; } = new(RestartMode.OnFailure, DefaultMaxRetries);
    public static RestartPolicy No { get; } = new(RestartMode.No, 0);
}

public enum RestartMode
{
    No,
    OnFailure,
}
