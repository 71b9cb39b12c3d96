using System.Collections.Concurrent;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableWorkflows.Containers.DockerApi;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers;

/// <summary>
/// Actions' containers started ahead of their turn and released into their command at it (<see cref="DockerOptions.StartAhead"/>,
/// <see cref="HeldStarts"/>).
/// </summary>
public sealed partial class ContainerEngine
{
    /// <summary>How many actions' containers this process prepares at once; a preparation beyond them is skipped.</summary>
    public const int AheadSlots = 4;

    private readonly HeldStarts _held = new();
    private readonly SemaphoreSlim _aheadSlots = new(AheadSlots, AheadSlots);

    /// <summary>Images (by id) found to have no <c>/bin/sh</c> for the waiter: their actions are started at their turn.</summary>
    private readonly ConcurrentDictionary<string, bool> _noShell = new(StringComparer.Ordinal);

    /// <summary>
    /// Lets go of the containers this engine holds started ahead, as the end of its process would: their waiters end
    /// unreleased (<see cref="HeldStarts.NotReleasedExitCode"/>), and the next start of each replaces it.
    /// </summary>
    public void Dispose()
    {
        _held.Dispose();
        _aheadSlots.Dispose();
    }

    /// <summary>
    /// Creates the container of a prepared action, held when it may be (<see cref="ContainerParameters.Held"/>): its
    /// waiter started, its stdin held by this process. Whether it was created (false: it was there already, made by an
    /// earlier prepare, here or elsewhere), or null when a step of its hold failed (no shell in the image): the
    /// caller creates it plainly.
    /// </summary>
    private async Task<bool?> TryStartAheadAsync(
        DockerEndpoint endpoint, CreateContainerParameters plain, string workflowId, string owner, Func<Task> beforeCreate, CancellationToken cancellationToken)
    {
        if (_held.Begin(plain.Name) is not { } hold)
        {
            return false;
        }

        string? id = null;
        string? imageId = null;
        CreateContainerParameters? held = null;
        try
        {
            (id, var existing) = await _containers.CreateOrFindAsync(endpoint, plain, workflowId, owner, cancellationToken, beforeCreate, image =>
            {
                imageId = image.ID;
                held = _noShell.ContainsKey(image.ID) ? null : ContainerParameters.Held(plain, image, WorkflowBind(workflowId));
                return held ?? plain;
            });
            if (existing is not null || held is null)
            {
                hold.Complete(made: false);
                return existing is null;
            }

            var stream = await endpoint.Client.Containers.AttachContainerAsync(
                id, tty: false, new ContainerAttachParameters { Stream = true, Stdin = true, Stderr = true }, cancellationToken);
            hold.Attached(id, stream);
            await DockerContainerOperations.StartAsync(endpoint, id, plain.Name, owner, cancellationToken);
            hold.Complete(made: true);
            return true;
        }
        catch (Exception e) when (e is ContainerEngineException or DockerApiException or IOException or HttpRequestException)
        {
            hold.Complete(made: false);
            if (id is null && e is ContainerEngineException)
            {
                throw;
            }

            if (id is not null)
            {
                if (imageId is not null && e.Message.Contains("/bin/sh", StringComparison.Ordinal))
                {
                    _noShell[imageId] = true;
                }

                Log.StartAheadFailed(_logger, e, plain.Name);
                await DockerContainerOperations.RemoveAsync(endpoint, id, CancellationToken.None);
            }

            return null;
        }
    }

    /// <summary>
    /// An action's container found made to be held, not by this process's hold (which went: another process made it, or
    /// this one before a restart): the container as it is when its action ran or runs (released before), else null once
    /// it is removed (still waiting, never started, or its waiter ended unreleased), so that the caller creates it anew.
    /// </summary>
    private async Task<ContainerInspectResponse?> TakeOverHeldAsync(DockerEndpoint endpoint, ContainerInspectResponse container, CancellationToken cancellationToken)
    {
        var status = DockerStates.Parse(container.State.Status);
        var released = status switch
        {
            DockerStatus.Created => false,
            _ when container.State.Running => !await WaiterRunsAsync(endpoint, container.ID, cancellationToken),
            _ => !await EndedUnreleasedAsync(endpoint, container, cancellationToken),
        };
        if (released)
        {
            return container;
        }

        Log.HeldReplaced(_logger, container.Name.TrimStart('/'), container.State.Status);
        await DockerContainerOperations.RemoveAsync(endpoint, container.ID, cancellationToken);
        return null;
    }

    /// <summary>Whether a process of the container is still the waiter (Docker's top: the action's command replaces it).</summary>
    private static async Task<bool> WaiterRunsAsync(DockerEndpoint endpoint, string id, CancellationToken cancellationToken)
    {
        try
        {
            var top = await endpoint.CallAsync(
                (c, ct) => c.Containers.ListProcessesAsync(id, new ContainerListProcessesParameters { PsArgs = "-o pid,args" }, ct), cancellationToken);
            return top.Processes?.Any(p => p.Any(column => column.Contains(HeldStarts.WaiterName, StringComparison.Ordinal))) == true;
        }
        catch (DockerApiException e) when (e.StatusCode is System.Net.HttpStatusCode.Conflict or System.Net.HttpStatusCode.NotFound)
        {
            // It ended meanwhile: its end says.
            return await DockerContainerOperations.TryInspectAsync(endpoint, id, cancellationToken) is { } now
                && !now.State.Running && await EndedUnreleasedAsync(endpoint, now, cancellationToken);
        }
    }

    /// <summary>Whether an ended held container's waiter ended it unreleased: its code and its whole output are the waiter's.</summary>
    private static async Task<bool> EndedUnreleasedAsync(DockerEndpoint endpoint, ContainerInspectResponse container, CancellationToken cancellationToken) =>
        container.State.ExitCode == HeldStarts.NotReleasedExitCode
        && (await ContainerLogs.TailAsync(endpoint, container.ID, 2, cancellationToken)) is [HeldStarts.NotReleasedMessage];
}
