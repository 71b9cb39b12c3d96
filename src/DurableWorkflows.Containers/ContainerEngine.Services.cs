using Docker.DotNet;
using Docker.DotNet.Models;
using DurableWorkflows.Containers.DockerApi;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers;

/// <summary>Services: started with their restart policy, awaited until ready, inspected while the tasks run.</summary>
public sealed partial class ContainerEngine
{
    /// <summary>Creates and starts a service's container, or finds the one already there (starting it if only created).</summary>
    public async Task<ServiceStarted> StartServiceAsync(StartServiceInput input, CancellationToken cancellationToken = default)
    {
        var service = input.Service;
        var owner = $"service '{service.Name}'";
        var endpoint = _endpoints.ForWorker(service.Worker, input.WorkerEndpoints);
        ContainerSpecs.CheckAllowed(service.Volumes.Select(VolumeSpec.Parse), _options.AllowedHostPaths, owner);
        var parameters = ContainerParameters.ForService(input, endpoint, _options, WorkflowMount(input.WorkflowId));

        using var starting = _serviceStarts.Enter(input.WorkflowId);
        var (id, existing) = await _containers.CreateOrFindAsync(endpoint, parameters, input.WorkflowId, owner, cancellationToken);
        if (DockerContainerOperations.NotStarted(existing))
        {
            await DockerContainerOperations.StartAsync(endpoint, id, parameters.Name, owner, cancellationToken);
        }

        return new ServiceStarted(service.Name, id, parameters.Name);
    }

    /// <summary>
    /// Starts every service of a workflow that is about to be scheduled, before its orchestration does: a process that
    /// has just started (<c>dwf run</c>) needs half a second for its runtime to come up, while the services' health
    /// checks need that time too. The orchestration's own start of each service then finds its container (the same
    /// name, create-or-find) and goes on from there, so nothing runs twice. Best effort: a service this cannot start,
    /// the orchestration's start meets and reports. The caller removes what this started if the workflow never runs.
    /// </summary>
    public Task StartServicesAheadAsync(WorkflowInput input, CancellationToken cancellationToken = default) =>
        Task.WhenAll(input.Definition.Services.Select(async service =>
        {
            try
            {
                await StartServiceAsync(StartServiceInput.Of(input, service), cancellationToken);
            }
            catch (Exception e) when (e is ContainerEngineException or DockerApiException or HttpRequestException or OperationCanceledException or TimeoutException)
            {
                Log.ServiceOutcome(_logger, service.Name, input.WorkflowId, "not started ahead: " + e.Message);
            }
        }));

    /// <summary>Removes what <see cref="StartServicesAheadAsync"/> started, for a workflow that was not scheduled after all.</summary>
    public Task<CleanupResult> RemoveServicesAheadAsync(WorkflowInput input, CancellationToken cancellationToken = default) =>
        CleanupWorkflowAsync(
            new CleanupWorkflowInput(
                input.WorkflowId,
                [.. input.Definition.Services.Select(s => s.Worker).Distinct(StringComparer.Ordinal)],
                (input.Settings ?? WorkflowSettings.Default).WorkerEndpoints),
            cancellationToken);

    /// <summary>
    /// Waits, at most min(MaxWait (the input's, else the options'), the startup deadline), for a service to be ready: healthy, or running when it has no
    /// health check. Returns a failure at once when it exits for good or turns unhealthy, and when the startup deadline
    /// passes; returns <c>Pending</c> when this call's bound ends first.
    /// </summary>
    public async Task<ServiceReadiness> AwaitServiceHealthyAsync(AwaitServiceHealthyInput input, CancellationToken cancellationToken = default)
    {
        var service = input.Service;
        var endpoint = _endpoints.ForWorker(service.Worker, input.WorkerEndpoints);
        var callEnd = DateTimeOffset.UtcNow + (input.MaxWait is { } m && m > TimeSpan.Zero ? m : _options.MaxWait);
        DateTimeOffset? deadline = input.Deadline;

        // Woken by Docker's events of the container (start, health_status, die, ...), each followed by an inspect, which
        // decides; an inspect every PollInterval while the event stream is down, every second while it is up.
        using var watch = endpoint.Events.Watch(input.ContainerId);
        while (true)
        {
            var container = await DockerContainerOperations.TryInspectAsync(endpoint, input.ContainerId, cancellationToken);
            if (container is null)
            {
                return Outcome(new ServiceReadiness(service.Name, false, "missing", null, 0,
                    $"service '{service.Name}': its container {input.ContainerId} no longer exists", []));
            }

            deadline ??= DockerStates.AsUtc(container.Created) + service.StartupTimeout;
            var now = DateTimeOffset.UtcNow;
            var verdict = ServiceReadinessDecision.Decide(container, service, deadline.Value, now);
            var state = container.State;
            switch (verdict.Outcome)
            {
                case ReadinessOutcome.Ready:
                    return Outcome(new ServiceReadiness(service.Name, true, state.Status, state.Health?.Status, (int)container.RestartCount, null, []));
                case ReadinessOutcome.Failed:
                    return Outcome(await FailedWithLogsAsync(endpoint, container, service.Name, verdict.Reason!, cancellationToken));
            }

            if (now >= callEnd)
            {
                return new ServiceReadiness(service.Name, false, state.Status, state.Health?.Status, (int)container.RestartCount, null, [], Pending: true);
            }

            await watch.NextAsync(Min(deadline.Value, callEnd) - now, _options.PollInterval, cancellationToken);
        }

        ServiceReadiness Outcome(ServiceReadiness readiness)
        {
            Log.ServiceOutcome(_logger, service.Name, input.WorkflowId, readiness.Ready ? "ready" : readiness.Reason ?? "failed");
            return readiness;
        }
    }

    /// <summary>The state of every service container of a workflow on the endpoints of <paramref name="input"/>'s workers.</summary>
    public async Task<IReadOnlyList<ServiceObservation>> InspectServicesAsync(InspectServicesInput input, CancellationToken cancellationToken = default)
    {
        var result = new List<ServiceObservation>();
        foreach (var endpoint in _endpoints.ForWorkers(input.Workers, input.WorkerEndpoints))
        {
            var listed = await DockerContainerOperations.ListAsync(endpoint, input.WorkflowId, ContainerRole.Service, cancellationToken);
            // At once: Docker answers an inspect of a service only between its health probes, so one after the other adds up.
            var inspected = await Task.WhenAll(listed.Select(item => DockerContainerOperations.TryInspectAsync(endpoint, item.ID, cancellationToken)));
            foreach (var container in inspected.OfType<ContainerInspectResponse>())
            {
                var state = container.State;
                var status = DockerStates.Parse(state.Status);
                result.Add(new ServiceObservation(
                    DockerContainerOperations.Label(container.Config.Labels, ContainerLabels.Service) ?? "",
                    container.Name.TrimStart('/'),
                    status,
                    state.Health?.Status,
                    (int)container.RestartCount,
                    state.Running || status == DockerStatus.Created ? null : (int)state.ExitCode));
            }
        }

        return result.OrderBy(o => o.ServiceName, StringComparer.Ordinal).ToList();
    }

    private async Task<ServiceReadiness> FailedWithLogsAsync(
        DockerEndpoint endpoint, ContainerInspectResponse container, string serviceName, string reason, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> tail;
        try
        {
            tail = await ContainerLogs.TailAsync(endpoint, container.ID, _options.LogTailLines, cancellationToken);
        }
        catch (DockerApiException)
        {
            tail = [];
        }

        var state = container.State;
        var withLogs = tail.Count == 0 ? reason + "; it wrote no output" : reason + "; its last output:\n" + string.Join('\n', tail);
        return new ServiceReadiness(serviceName, false, state.Status, state.Health?.Status, (int)container.RestartCount, withLogs, tail);
    }
}
