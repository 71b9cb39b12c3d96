using System.Globalization;
using Docker.DotNet.Models;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers;

/// <summary>
/// The create parameters of a workflow's containers, labels included (see docs/ARCHITECTURE.md): a service keeps
/// Docker's restart policy and health check (and Docker's init), an action runs once, privileged as the options say, with the task's
/// volumes and environment under its own. Pure: the caller checks the bind mounts and makes the workflow's folder.
/// </summary>
public static class ContainerParameters
{
    public static CreateContainerParameters ForService(StartServiceInput input, DockerEndpoint endpoint, DockerOptions options, string workflowMount)
    {
        var service = input.Service;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in service.Labels)
        {
            labels[k] = v;
        }

        labels[ContainerLabels.WorkflowId] = input.WorkflowId;
        labels[ContainerLabels.Role] = ContainerNames.RoleLabel(ContainerRole.Service);
        labels[ContainerLabels.Service] = service.Name;
        AddTaskHub(labels, options);

        return new CreateContainerParameters
        {
            Name = ContainerNames.Service(input.WorkflowId, service.Name),
            Image = service.Image,
            Env = ContainerSpecs.MergeEnvironment(service.Environment, new Dictionary<string, string>()),
            Cmd = service.Command?.ToList(),
            Labels = labels,
            Healthcheck = ContainerSpecs.Healthcheck(service.Healthcheck),
            HostConfig = new HostConfig
            {
                NetworkMode = endpoint.NetworkMode,
                Init = options.Init,
                RestartPolicy = ContainerSpecs.Restart(service.Restart),
                Binds = ContainerSpecs.Binds(ContainerSpecs.MergeVolumes([workflowMount], service.Volumes)),
            },
        };
    }

    public static CreateContainerParameters ForAction(StartActionInput input, DockerEndpoint endpoint, DockerOptions options, string workflowMount)
    {
        var task = input.Task;
        var action = input.Action;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [ContainerLabels.WorkflowId] = input.WorkflowId,
            [ContainerLabels.Role] = ContainerNames.RoleLabel(input.Role),
            [ContainerLabels.Task] = task.Name,
            [ContainerLabels.Action] = action.Name,
            [ContainerLabels.Attempt] = input.Attempt.ToString(CultureInfo.InvariantCulture),
        };
        AddTaskHub(labels, options);

        return new CreateContainerParameters
        {
            Name = ContainerNames.Action(input.WorkflowId, task.Name, action.Name, input.Attempt, input.Role),
            Image = action.Image,
            Env = ContainerSpecs.MergeEnvironment(task.Environment, action.Environment),
            Cmd = (input.CommandOverride ?? action.Command)?.ToList(),
            Labels = labels,
            HostConfig = new HostConfig
            {
                NetworkMode = endpoint.NetworkMode,
                Init = options.ActionInit,
                Privileged = options.Privileged,
                PidMode = string.IsNullOrEmpty(action.Pid) ? null : action.Pid,
                Binds = ContainerSpecs.Binds(ContainerSpecs.MergeVolumes([workflowMount, .. task.Volumes], action.Volumes)),
                RestartPolicy = new Docker.DotNet.Models.RestartPolicy { Name = RestartPolicyKind.No },
            },
        };
    }

    /// <summary>
    /// An action's container to be started ahead (<see cref="HeldStarts"/>): <paramref name="plain"/> with the waiter as
    /// its entrypoint and the action's whole command (the image's entrypoint, then the action's command or the image's)
    /// as the waiter's arguments, its stdin open for one attach. Null when it must start at its turn: what a container
    /// sees of the host is fixed at its start, so a privileged one (Docker gives it the host's devices present then: a
    /// partition an earlier action makes would be missing) and one with a bind mount of its own (a mount or a file an
    /// earlier action puts there would be missing) are not started ahead; nor one without a command (Docker refuses its
    /// start, and the action's start should say so).
    /// </summary>
    public static CreateContainerParameters? Held(CreateContainerParameters plain, ImageInspectResponse image, string workflowMount)
    {
        List<string> command = [.. image.Config?.Entrypoint ?? [], .. plain.Cmd ?? image.Config?.Cmd ?? []];
        bool ownBinds = plain.HostConfig.Binds?.Any(b => b != workflowMount && VolumeSpec.Parse(b).IsBindMount) == true;
        if (command.Count == 0 || plain.HostConfig.Privileged || ownBinds)
        {
            return null;
        }

        return new CreateContainerParameters
        {
            Name = plain.Name,
            Image = plain.Image,
            Env = plain.Env,
            Labels = new Dictionary<string, string>(plain.Labels, StringComparer.Ordinal) { [ContainerLabels.Held] = "true" },
            HostConfig = plain.HostConfig,
            Entrypoint = ["/bin/sh", "-c", HeldStarts.Waiter, HeldStarts.WaiterName],
            Cmd = command,
            OpenStdin = true,
            StdinOnce = true,
            AttachStdin = true,
        };
    }

    private static void AddTaskHub(Dictionary<string, string> labels, DockerOptions options)
    {
        if (!string.IsNullOrEmpty(options.TaskHub))
        {
            labels[ContainerLabels.TaskHub] = options.TaskHub;
        }

        if (!string.IsNullOrEmpty(options.AgentId))
        {
            labels[ContainerLabels.Agent] = options.AgentId;
        }
    }
}
