using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers;

/// <summary>Docker's container state words (<c>State.Status</c>), read once here so nothing above the container layer compares strings.</summary>
public static class DockerStates
{
    /// <summary>Docker's word as a <see cref="ContainerStatus"/>; a word this Docker version does not use is read as <see cref="ContainerStatus.Dead"/>.</summary>
    public static ContainerStatus Parse(string? status) => status switch
    {
        "created" => ContainerStatus.Created,
        "running" => ContainerStatus.Running,
        "paused" => ContainerStatus.Paused,
        "restarting" => ContainerStatus.Restarting,
        "removing" => ContainerStatus.Removing,
        "exited" => ContainerStatus.Exited,
        _ => ContainerStatus.Dead,
    };
}
