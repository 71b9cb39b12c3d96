using Docker.DotNet;
using DurableWorkflows.Containers.DockerApi;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers;

/// <summary>The end of a workflow's containers: stopped, their logs kept, removed; and their output read meanwhile.</summary>
public sealed partial class ContainerEngine
{
    /// <summary>
    /// Stops (with the grace period) and removes every container labelled with the workflow on the endpoints of its
    /// workers and the default one, saving their logs first. Reports each container's state as it was found.
    /// A second call finds nothing and succeeds.
    /// </summary>
    public async Task<CleanupResult> CleanupWorkflowAsync(CleanupWorkflowInput input, CancellationToken cancellationToken = default)
    {
        var results = new List<ContainerFinalState>();
        var errors = new List<Exception>();
        foreach (var endpoint in _endpoints.ForWorkers(input.Workers, input.WorkerEndpoints))
        {
            try
            {
                results.AddRange(await CleanupEndpointAsync(endpoint, input.WorkflowId, cancellationToken));
            }
            catch (ContainerEngineException e)
            {
                errors.Add(e);
            }
        }

        if (errors.Count == 1)
        {
            throw errors[0];
        }

        if (errors.Count > 1)
        {
            throw new ContainerEngineException(
                $"Cleanup of workflow '{input.WorkflowId}' failed: {string.Join(" | ", errors.Select(e => e.Message))}", errors[0]);
        }

        return new CleanupResult(results.OrderBy(r => r.ContainerName, StringComparer.Ordinal).ToList());
    }

    /// <summary>Stops and removes every container of a workflow on one endpoint.</summary>
    public async Task<IReadOnlyList<ContainerFinalState>> CleanupEndpointAsync(DockerEndpoint endpoint, string workflowId, CancellationToken cancellationToken = default)
    {
        var listed = await DockerContainerOperations.ListAsync(endpoint, workflowId, null, cancellationToken);
        // The running ones (the services) first: their stop waits for their processes, the others' removal does not.
        var removals = listed.OrderBy(c => c.State == "running" ? 0 : 1)
            .Select(c => RemoveAsync(endpoint, workflowId, c.ID, cancellationToken, c.State)).ToList();
        var failures = new List<Exception>();
        var results = new List<ContainerFinalState>();
        foreach (var removal in removals)
        {
            try
            {
                if (await removal is { } r)
                {
                    results.Add(r);
                }
            }
            catch (Exception e) when (e is ContainerEngineException or DockerApiException)
            {
                failures.Add(e);
            }
        }

        if (failures.Count > 0)
        {
            throw new ContainerEngineException(
                $"Could not remove every container of workflow '{workflowId}' on {endpoint}: {string.Join(" | ", failures.Select(f => f.Message))}",
                failures[0]);
        }

        return results;
    }

    /// <summary>The ids of the workflows that have containers on an endpoint (of this task hub when one is configured).</summary>
    public async Task<IReadOnlyCollection<string>> ListWorkflowIdsAsync(DockerEndpoint endpoint, CancellationToken cancellationToken = default)
    {
        string[] labels = string.IsNullOrEmpty(_options.TaskHub)
            ? [ContainerLabels.WorkflowId]
            : [ContainerLabels.WorkflowId, $"{ContainerLabels.TaskHub}={_options.TaskHub}"];
        var listed = await DockerContainerOperations.ListAsync(endpoint, labels, cancellationToken);
        return listed.Select(c => DockerContainerOperations.Label(c.Labels, ContainerLabels.WorkflowId))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The output of an action (every attempt and handler), of a service, or of every container of a workflow: read
    /// from Docker while its container exists (live while it runs), else from the copy saved when it was removed.
    /// An endpoint that cannot be reached contributes its saved copies only.
    /// </summary>
    public async Task<IReadOnlyList<ContainerLog>> GetLogsAsync(string workflowId, string? task, string? action, string? service, CancellationToken cancellationToken = default)
    {
        var saved = service is not null
            ? _logs.Read(workflowId, service)
            : task is not null && action is not null ? _logs.Read(workflowId, task, action) : _logs.ReadAll(workflowId);
        var byName = saved.ToDictionary(l => l.ContainerName, StringComparer.Ordinal);

        foreach (var endpoint in _endpoints.All((_, _) => { }))
        {
            IList<Docker.DotNet.Models.ContainerListResponse> listed;
            try
            {
                listed = await DockerContainerOperations.ListAsync(endpoint, workflowId, null, cancellationToken);
            }
            catch (DockerUnreachableException)
            {
                continue;
            }

            foreach (var c in listed)
            {
                var matches = service is not null
                    ? DockerContainerOperations.Label(c.Labels, ContainerLabels.Service) == service
                    : task is null || action is null
                      || (DockerContainerOperations.Label(c.Labels, ContainerLabels.Task) == task && DockerContainerOperations.Label(c.Labels, ContainerLabels.Action) == action);
                if (!matches)
                {
                    continue;
                }

                var name = c.Names.FirstOrDefault()?.TrimStart('/') ?? c.ID;
                byName[name] = new ContainerLog(name, await ContainerLogs.ReadTextAsync(endpoint, c.ID, cancellationToken));
            }
        }

        return byName.Values.OrderBy(l => l.ContainerName, StringComparer.Ordinal).ToList();
    }

    /// <summary>The action and handler containers this engine's agent (<see cref="DockerOptions.AgentId"/>) made, as the start inputs that name them.</summary>
    public async Task<IReadOnlyList<StartActionInput>> ListAgentActionsAsync(CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(_options.AgentId))
        {
            return [];
        }

        var listed = await DockerContainerOperations.ListAsync(_endpoints.Default, [$"{ContainerLabels.Agent}={_options.AgentId}"], cancellationToken);
        var found = new List<StartActionInput>();
        foreach (var c in listed)
        {
            string? Label(string key) => DockerContainerOperations.Label(c.Labels, key);
            if (Label(ContainerLabels.WorkflowId) is { } workflow && Label(ContainerLabels.Task) is { } task && Label(ContainerLabels.Action) is { } action
                && int.TryParse(Label(ContainerLabels.Attempt), System.Globalization.CultureInfo.InvariantCulture, out int attempt))
            {
                var definition = new Core.Templates.ActionDefinition(action, c.Image, null, null, new Dictionary<string, string>(), [], null, null, null, 0);
                found.Add(new StartActionInput(workflow, new TaskContext(task, "", [], new Dictionary<string, string>()), definition, attempt,
                    ContainerNames.ParseRole(Label(ContainerLabels.Role))));
            }
        }

        return found;
    }

    /// <summary>Stops and removes one container of a workflow on a worker's endpoint, keeping its log (an agent's, after it reported).</summary>
    public Task<ContainerFinalState?> RemoveContainerAsync(string workflowId, string worker, string containerId, CancellationToken cancellationToken = default) =>
        RemoveAsync(_endpoints.ForWorker(worker), workflowId, containerId, cancellationToken);

    /// <summary>
    /// Stops, keeps the log of and removes one container, and reports its state as it was found: as the list found it
    /// (<paramref name="listedState"/>) when that says it runs, since it is then stopped before it is inspected (Docker
    /// answers an inspect of a service only between its health probes, which held the stop); else as the inspect found it.
    /// </summary>
    private async Task<ContainerFinalState?> RemoveAsync(
        DockerEndpoint endpoint, string workflowId, string id, CancellationToken cancellationToken, string? listedState = null)
    {
        bool stoppedFirst = DockerStates.HasProcess(DockerStates.Parse(listedState));
        if (stoppedFirst)
        {
            await _containers.StopAsync(endpoint, id, cancellationToken);
        }

        var before = await DockerContainerOperations.TryInspectAsync(endpoint, id, cancellationToken);
        if (before is null)
        {
            return null;
        }

        var name = before.Name.TrimStart('/');
        var labels = before.Config.Labels;
        var role = ContainerNames.ParseRole(DockerContainerOperations.Label(labels, ContainerLabels.Role));
        var found = stoppedFirst ? listedState! : before.State.Status;
        var status = DockerStates.Parse(found);
        var running = DockerStates.HasProcess(status);
        if (running && !stoppedFirst)
        {
            await _containers.StopAsync(endpoint, id, cancellationToken);
        }

        // An action's container that had ended was saved then (it never runs again); the others are saved now.
        var saved = !running && role != ContainerRole.Service && _logs.IsSaved(workflowId, name);
        if (status != DockerStatus.Created && !saved)
        {
            await SaveLogsAsync(endpoint, workflowId, id, name, cancellationToken);
        }

        await DockerContainerOperations.RemoveAsync(endpoint, id, cancellationToken);
        Log.Removed(_logger, name, workflowId, found);
        return new ContainerFinalState(
            name,
            role,
            DockerContainerOperations.Label(labels, ContainerLabels.Service),
            found,
            stoppedFirst || before.State.Running || status == DockerStatus.Created ? null : before.State.ExitCode,
            (int)before.RestartCount);
    }

    private async Task SaveLogsAsync(DockerEndpoint endpoint, string workflowId, string id, string name, CancellationToken cancellationToken)
    {
        try
        {
            await _logs.SaveAsync(endpoint, id, workflowId, name, cancellationToken);
        }
        catch (Exception e) when (e is ContainerEngineException or DockerApiException or IOException or UnauthorizedAccessException)
        {
            // Keeping logs is best effort: it must never stop a container from being removed.
            Log.LogSaveFailed(_logger, e, name);
        }
    }
}
