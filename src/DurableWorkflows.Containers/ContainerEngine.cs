using System.Globalization;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Containers;

/// <summary>
/// The containers of workflows on Docker: services, actions, their logs and their cleanup. Every operation is safe
/// to run more than once (names are deterministic, creation finds what is already there, cleanup goes by label)
/// and every wait returns within a bound, so it fits activities whose locks are never renewed.
/// </summary>
public sealed class ContainerEngine
{
    /// <summary>Where the per-workflow folder is mounted in every container.</summary>
    public const string WorkflowMountPath = "/workflow";

    private readonly DockerEndpoints _endpoints;
    private readonly ContainerLogs _logs;
    private readonly DockerOptions _options;
    private readonly ILogger _logger;

    public ContainerEngine(DockerEndpoints endpoints, ContainerLogs logs, IOptions<DockerOptions> options, ILogger<ContainerEngine>? logger = null)
    {
        _endpoints = endpoints;
        _logs = logs;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public DockerEndpoints Endpoints => _endpoints;

    public ContainerLogs Logs => _logs;

    /// <summary>The host folder shared by a workflow's containers (mounted at <see cref="WorkflowMountPath"/>).</summary>
    public string WorkflowDirectory(string workflowId) =>
        Path.Combine(_options.ResolvedDataDirectory, "workflows", ContainerNames.SafeFileName(workflowId));

    // ---------------------------------------------------------------- services

    /// <summary>Creates and starts a service's container, or finds the one already there (starting it if only created).</summary>
    public async Task<ServiceStarted> StartServiceAsync(StartServiceInput input, CancellationToken cancellationToken = default)
    {
        var service = input.Service;
        var owner = $"service '{service.Name}'";
        var endpoint = _endpoints.ForWorker(service.Worker, input.WorkerEndpoints);
        var name = ContainerNames.Service(input.WorkflowId, service.Name);

        ContainerSpecs.CheckAllowed(service.Volumes.Select(VolumeSpec.Parse), _options.AllowedHostPaths, owner);
        var volumes = ContainerSpecs.MergeVolumes([WorkflowMount(input.WorkflowId)], service.Volumes);

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in service.Labels)
        {
            labels[k] = v;
        }

        labels[ContainerLabels.WorkflowId] = input.WorkflowId;
        labels[ContainerLabels.Role] = ContainerNames.RoleLabel(ContainerRole.Service);
        labels[ContainerLabels.Service] = service.Name;
        AddTaskHubLabel(labels);

        var parameters = new CreateContainerParameters
        {
            Name = name,
            Image = service.Image,
            Env = ContainerSpecs.MergeEnvironment(service.Environment, new Dictionary<string, string>()),
            Cmd = service.Command?.ToList(),
            Labels = labels,
            Healthcheck = ContainerSpecs.Healthcheck(service.Healthcheck),
            HostConfig = new HostConfig
            {
                NetworkMode = endpoint.NetworkMode,
                Init = _options.Init,
                RestartPolicy = ContainerSpecs.Restart(service.Restart),
                Binds = ContainerSpecs.Binds(volumes),
            },
        };

        var (container, _) = await CreateOrFindAsync(endpoint, parameters, input.WorkflowId, owner, cancellationToken);
        if (container.State.Status == "created")
        {
            await StartAsync(endpoint, container.ID, name, owner, cancellationToken);
        }

        return new ServiceStarted(service.Name, container.ID, name);
    }

    /// <summary>
    /// Waits, at most min(MaxWait (the input's, else the options'), the startup deadline), for a service to be ready: healthy, or running when it has no
    /// health check. Returns a failure at once when it exits for good or turns unhealthy, and when the startup deadline
    /// passes; returns <c>Pending</c> when this call's bound ends first.
    /// </summary>
    public async Task<ServiceReadiness> AwaitServiceHealthyAsync(AwaitServiceHealthyInput input, CancellationToken cancellationToken = default)
    {
        var service = input.Service;
        var endpoint = _endpoints.ForWorker(service.Worker, input.WorkerEndpoints);
        var started = DateTimeOffset.UtcNow;
        var callEnd = started + (input.MaxWait is { } m && m > TimeSpan.Zero ? m : _options.MaxWait);
        DateTimeOffset? deadline = input.Deadline;

        while (true)
        {
            var container = await TryInspectAsync(endpoint, input.ContainerId, cancellationToken);
            if (container is null)
            {
                return Outcome(Failed(service.Name, "missing", null, 0,
                    $"service '{service.Name}': its container {input.ContainerId} no longer exists", []));
            }

            deadline ??= AsUtc(container.Created) + service.StartupTimeout;
            var state = container.State;
            var health = state.Health?.Status;
            var restarts = (int)container.RestartCount;
            var now = DateTimeOffset.UtcNow;

            if (state.Running && !state.Restarting && (state.Health is null || health == "healthy"))
            {
                return Outcome(new ServiceReadiness(service.Name, true, state.Status, health, restarts, null, []));
            }

            if (state.Status is "exited" or "dead" && !state.Restarting)
            {
                var max = service.Restart.Mode == RestartMode.OnFailure ? service.Restart.MaxRetries : 0;
                var reason = $"service '{service.Name}' exited with code {state.ExitCode} before it was ready " +
                             $"(restarts: {restarts} of {max}){(string.IsNullOrEmpty(state.Error) ? "" : ": " + state.Error)}";
                return Outcome(await FailedWithLogsAsync(endpoint, container, service.Name, reason, cancellationToken));
            }

            // Docker also marks a stopped or restarting container unhealthy; only a running one failing its checks counts here.
            if (health == "unhealthy" && state.Running && !state.Restarting)
            {
                var check = state.Health?.Log?.LastOrDefault();
                var reason = $"service '{service.Name}' turned unhealthy before it was ready ({state.Health?.FailingStreak} failed checks" +
                             (check is null ? ")" : $"; last check exited {check.ExitCode}: {check.Output?.Trim()})");
                return Outcome(await FailedWithLogsAsync(endpoint, container, service.Name, reason, cancellationToken));
            }

            if (now >= deadline)
            {
                var reason = $"service '{service.Name}' was not ready within its startup_timeout of {service.StartupTimeout.TotalSeconds:0.###} s " +
                             $"(state {state.Status}{(health is null ? "" : ", health " + health)}, restarts {restarts})";
                return Outcome(await FailedWithLogsAsync(endpoint, container, service.Name, reason, cancellationToken));
            }

            if (now >= callEnd)
            {
                return new ServiceReadiness(service.Name, false, state.Status, health, restarts, null, [], Pending: true);
            }

            var nextWake = Min(now + _options.PollInterval, Min(deadline.Value, callEnd));
            var delay = nextWake - now;
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, cancellationToken);
            }
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
            var listed = await ListAsync(endpoint, input.WorkflowId, ContainerRole.Service, cancellationToken);
            foreach (var item in listed)
            {
                var container = await TryInspectAsync(endpoint, item.ID, cancellationToken);
                if (container is null)
                {
                    continue;
                }

                var state = container.State;
                result.Add(new ServiceObservation(
                    Label(container.Config.Labels, ContainerLabels.Service) ?? "",
                    container.Name.TrimStart('/'),
                    DockerStates.Parse(state.Status),
                    state.Health?.Status,
                    (int)container.RestartCount,
                    state.Running || state.Status == "created" ? null : (int)state.ExitCode));
            }
        }

        return result.OrderBy(o => o.ServiceName, StringComparer.Ordinal).ToList();
    }

    // ---------------------------------------------------------------- actions

    /// <summary>
    /// Creates and starts the container of one attempt of an action (or of its handler), or finds the one already there.
    /// A container found exited is reported as it is, never started again.
    /// </summary>
    public async Task<ActionStarted> StartActionAsync(StartActionInput input, CancellationToken cancellationToken = default)
    {
        var (endpoint, parameters, owner) = ActionContainer(input);
        var name = parameters.Name;
        var (container, existed) = await CreateOrFindAsync(endpoint, parameters, input.WorkflowId, owner, cancellationToken);
        if (container.State.Status == "created")
        {
            try
            {
                await StartAsync(endpoint, container.ID, name, owner, cancellationToken);
            }
            catch (ContainerEngineException e) when (_options.Privileged && e.Message.Contains("operation not permitted", StringComparison.OrdinalIgnoreCase))
            {
                throw new ContainerEngineException(
                    $"{e.Message} (Docker endpoint {endpoint} cannot run privileged containers; set {DockerOptions.SectionName}:Privileged to false)", e);
            }

            container = await TryInspectAsync(endpoint, container.ID, cancellationToken) ?? container;
        }

        var started = new ActionStarted(container.ID, name, existed, ParseTime(container.State.StartedAt) ?? DateTimeOffset.UtcNow);
        if (input.WaitFor is not { } waitFor || waitFor <= TimeSpan.Zero)
        {
            return started;
        }

        try
        {
            var deadline = input.Action.DeadlineAfter(started.StartedAt);
            var waited = await WaitActionAsync(new WaitActionInput(input.WorkflowId, input.Task.Worker, container.ID, deadline, waitFor), cancellationToken);
            return started with { Waited = waited };
        }
        catch (ContainerEngineException e)
        {
            // The container started; what went wrong while waiting is the wait's to report (WaitAction meets it again).
            Log.FirstWaitFailed(_logger, e, name);
            return started;
        }
    }

    /// <summary>
    /// Creates the container of an action's attempt without starting it (or finds it), so that its start later is one
    /// call. Best effort: what stops it (a missing image, a refused mount) is returned, not thrown, and the start
    /// meets it again and reports it as the action's failure.
    /// </summary>
    public async Task<ActionPrepared> PrepareActionAsync(StartActionInput input, CancellationToken cancellationToken = default)
    {
        string name = ContainerNames.Action(input.WorkflowId, input.Task.Name, input.Action.Name, input.Attempt, input.Role);
        try
        {
            var (endpoint, parameters, owner) = ActionContainer(input);
            var (_, existed) = await CreateOrFindAsync(endpoint, parameters, input.WorkflowId, owner, cancellationToken);
            return new ActionPrepared(name, Created: !existed);
        }
        catch (ContainerEngineException e)
        {
            return new ActionPrepared(name, Created: false, e.Message);
        }
    }

    /// <summary>The endpoint, the create parameters and the owner (for messages) of an action's container.</summary>
    private (DockerEndpoint Endpoint, CreateContainerParameters Parameters, string Owner) ActionContainer(StartActionInput input)
    {
        var task = input.Task;
        var action = input.Action;
        var owner = $"action '{task.Name}/{action.Name}'";
        var endpoint = _endpoints.ForWorker(task.Worker, input.WorkerEndpoints);
        var name = ContainerNames.Action(input.WorkflowId, task.Name, action.Name, input.Attempt, input.Role);

        ContainerSpecs.CheckAllowed(ContainerSpecs.MergeVolumes(task.Volumes, action.Volumes), _options.AllowedHostPaths, owner);
        var volumes = ContainerSpecs.MergeVolumes([WorkflowMount(input.WorkflowId), .. task.Volumes], action.Volumes);

        var parameters = new CreateContainerParameters
        {
            Name = name,
            Image = action.Image,
            Env = ContainerSpecs.MergeEnvironment(task.Environment, action.Environment),
            Cmd = (input.CommandOverride ?? action.Command)?.ToList(),
            Labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [ContainerLabels.WorkflowId] = input.WorkflowId,
                [ContainerLabels.Role] = ContainerNames.RoleLabel(input.Role),
                [ContainerLabels.Task] = task.Name,
                [ContainerLabels.Action] = action.Name,
                [ContainerLabels.Attempt] = input.Attempt.ToString(CultureInfo.InvariantCulture),
            },
            HostConfig = new HostConfig
            {
                NetworkMode = endpoint.NetworkMode,
                Init = _options.Init,
                Privileged = _options.Privileged,
                PidMode = string.IsNullOrEmpty(action.Pid) ? null : action.Pid,
                Binds = ContainerSpecs.Binds(volumes),
                RestartPolicy = new Docker.DotNet.Models.RestartPolicy { Name = RestartPolicyKind.No },
            },
        };

        AddTaskHubLabel(parameters.Labels);
        return (endpoint, parameters, owner);
    }

    /// <summary>
    /// Waits up to <see cref="WaitActionInput.MaxWait"/> (options' MaxWait when zero) for an action's container:
    /// <c>Exited</c> with its code, <c>Killed</c> when its deadline passed (it is killed then), else <c>Running</c>.
    /// An ended container's whole log is saved.
    /// </summary>
    public async Task<ActionWaitResult> WaitActionAsync(WaitActionInput input, CancellationToken cancellationToken = default)
    {
        var endpoint = _endpoints.ForWorker(input.Worker, input.WorkerEndpoints);
        var maxWait = input.MaxWait > TimeSpan.Zero ? input.MaxWait : _options.MaxWait;
        var callEnd = DateTimeOffset.UtcNow + maxWait;

        while (true)
        {
            var container = await TryInspectAsync(endpoint, input.ContainerId, cancellationToken)
                ?? throw new ContainerEngineException(
                    $"The container {input.ContainerId} of workflow '{input.WorkflowId}' no longer exists on {endpoint}.");
            var name = container.Name.TrimStart('/');
            var state = container.State;

            if (state.Status == "created")
            {
                await StartAsync(endpoint, container.ID, name, $"container {name}", cancellationToken);
                continue;
            }

            if (!state.Running && !state.Restarting && !state.Paused)
            {
                return await EndedAsync(endpoint, input.WorkflowId, container, ActionRunState.Exited, cancellationToken);
            }

            var now = DateTimeOffset.UtcNow;
            if (input.Deadline is { } deadline && now >= deadline)
            {
                Log.KilledAtDeadline(_logger, name);
                await KillAsync(endpoint, container.ID, cancellationToken);
                var killed = await WaitStoppedAsync(endpoint, container.ID, cancellationToken) ?? container;
                return await EndedAsync(endpoint, input.WorkflowId, killed, ActionRunState.Killed, cancellationToken);
            }

            if (now >= callEnd)
            {
                var tail = await ContainerLogs.TailAsync(endpoint, container.ID, _options.LogTailLines, cancellationToken);
                return new ActionWaitResult(ActionRunState.Running, null, ParseTime(state.StartedAt), null, tail);
            }

            var until = input.Deadline is { } d ? Min(d, callEnd) : callEnd;
            await WaitUntilStoppedOrAsync(endpoint, container.ID, until - now, cancellationToken);
        }
    }

    // ---------------------------------------------------------------- cleanup

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
        var listed = await ListAsync(endpoint, workflowId, null, cancellationToken);
        var removals = listed.Select(c => RemoveAsync(endpoint, workflowId, c.ID, cancellationToken)).ToList();
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
        var labels = new Dictionary<string, bool> { [ContainerLabels.WorkflowId] = true };
        if (!string.IsNullOrEmpty(_options.TaskHub))
        {
            labels[$"{ContainerLabels.TaskHub}={_options.TaskHub}"] = true;
        }

        var listed = await endpoint.CallAsync((c, ct) => c.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels },
        }, ct), cancellationToken);
        return listed.Select(c => Label(c.Labels, ContainerLabels.WorkflowId))
            .OfType<string>()
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The output of an action (every attempt and handler) or of a service: from Docker while its container
    /// exists, else from the saved copy.
    /// </summary>
    public async Task<IReadOnlyList<ContainerLog>> GetLogsAsync(string workflowId, string? task, string? action, string? service, CancellationToken cancellationToken = default)
    {
        var saved = service is not null
            ? _logs.Read(workflowId, service)
            : task is not null && action is not null ? _logs.Read(workflowId, task, action) : _logs.ReadAll(workflowId);
        var byName = saved.ToDictionary(l => l.ContainerName, StringComparer.Ordinal);

        foreach (var endpoint in _endpoints.All((_, _) => { }))
        {
            IList<ContainerListResponse> listed;
            try
            {
                listed = await ListAsync(endpoint, workflowId, null, cancellationToken);
            }
            catch (DockerUnreachableException)
            {
                continue;
            }

            foreach (var c in listed)
            {
                var matches = service is not null
                    ? Label(c.Labels, ContainerLabels.Service) == service
                    : task is null || action is null
                      || (Label(c.Labels, ContainerLabels.Task) == task && Label(c.Labels, ContainerLabels.Action) == action);
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

    // ---------------------------------------------------------------- helpers

    private string WorkflowMount(string workflowId)
    {
        var dir = WorkflowDirectory(workflowId);
        Directory.CreateDirectory(dir);
        return $"{dir}:{WorkflowMountPath}";
    }

    private async Task<(ContainerInspectResponse Container, bool Existed)> CreateOrFindAsync(
        DockerEndpoint endpoint, CreateContainerParameters parameters, string workflowId, string owner, CancellationToken cancellationToken)
    {
        var existing = await TryInspectAsync(endpoint, parameters.Name, cancellationToken);
        if (existing is null)
        {
            await EnsureImageAsync(endpoint, parameters.Image, owner, cancellationToken);
            try
            {
                var created = await endpoint.CallAsync((c, ct) => c.Containers.CreateContainerAsync(parameters, ct), cancellationToken);
                Log.Created(_logger, parameters.Name, parameters.Image, endpoint.Uri);
                var inspected = await TryInspectAsync(endpoint, created.ID, cancellationToken)
                    ?? throw new ContainerEngineException($"{owner}: container {parameters.Name} vanished right after it was created on {endpoint}.");
                return (inspected, false);
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                existing = await TryInspectAsync(endpoint, parameters.Name, cancellationToken);
                if (existing is null)
                {
                    throw new ContainerEngineException($"{owner}: cannot create container {parameters.Name} on {endpoint}: {DockerMessage(e)}", e);
                }
            }
            catch (DockerApiException e)
            {
                throw new ContainerEngineException($"{owner}: cannot create container {parameters.Name} (image '{parameters.Image}') on {endpoint}: {DockerMessage(e)}", e);
            }
        }

        if (Label(existing.Config.Labels, ContainerLabels.WorkflowId) != workflowId)
        {
            throw new ContainerEngineException(
                $"{owner}: a container named {parameters.Name} exists on {endpoint} but does not belong to workflow '{workflowId}'.");
        }

        Log.FoundExisting(_logger, parameters.Name, existing.State.Status, endpoint.Uri);
        return (existing, true);
    }

    private async Task StartAsync(DockerEndpoint endpoint, string id, string name, string owner, CancellationToken cancellationToken)
    {
        try
        {
            await endpoint.CallAsync((c, ct) => c.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct), cancellationToken);
        }
        catch (DockerApiException e)
        {
            throw new ContainerEngineException($"{owner}: cannot start container {name} on {endpoint}: {DockerMessage(e)}", e);
        }
    }

    /// <summary>Makes sure the image is on the endpoint, pulling per the pull policy; a clear error naming it otherwise.</summary>
    private async Task EnsureImageAsync(DockerEndpoint endpoint, string image, string owner, CancellationToken cancellationToken)
    {
        var policy = _options.PullPolicy;
        if (policy != PullPolicies.Always && await ImageExistsAsync(endpoint, image, cancellationToken))
        {
            return;
        }

        if (policy == PullPolicies.Never)
        {
            throw new ContainerEngineException(
                $"{owner}: image '{image}' is not on Docker endpoint {endpoint}, and {DockerOptions.SectionName}:PullPolicy is 'never'.");
        }

        Log.Pulling(_logger, image, endpoint.Uri);
        var (repository, tag) = SplitImage(image);
        var progress = new PullProgress();
        string? error;
        try
        {
            await endpoint.CallAsync(
                (c, ct) => c.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, null, progress, ct),
                cancellationToken,
                _options.PullTimeout);
            error = progress.Error;
        }
        catch (DockerApiException e)
        {
            error = DockerMessage(e);
        }

        if (error is null && await ImageExistsAsync(endpoint, image, cancellationToken))
        {
            return;
        }

        throw new ContainerEngineException(
            $"{owner}: image '{image}' is not on Docker endpoint {endpoint} and could not be pulled: {error ?? "the pull ended without the image"}");
    }

    private static async Task<bool> ImageExistsAsync(DockerEndpoint endpoint, string image, CancellationToken cancellationToken)
    {
        try
        {
            await endpoint.CallAsync((c, ct) => c.Images.InspectImageAsync(image, ct), cancellationToken);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>Repository and tag for a pull; a digest stays in the repository, no tag means latest.</summary>
    internal static (string Repository, string? Tag) SplitImage(string image)
    {
        if (image.Contains('@', StringComparison.Ordinal))
        {
            return (image, null);
        }

        var slash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        return colon > slash ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    private static async Task<ContainerInspectResponse?> TryInspectAsync(DockerEndpoint endpoint, string idOrName, CancellationToken cancellationToken)
    {
        try
        {
            return await endpoint.CallAsync((c, ct) => c.Containers.InspectContainerAsync(idOrName, ct), cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static Task<IList<ContainerListResponse>> ListAsync(DockerEndpoint endpoint, string workflowId, ContainerRole? role, CancellationToken cancellationToken)
    {
        var labels = new Dictionary<string, bool> { [$"{ContainerLabels.WorkflowId}={workflowId}"] = true };
        if (role is { } r)
        {
            labels[$"{ContainerLabels.Role}={ContainerNames.RoleLabel(r)}"] = true;
        }

        return endpoint.CallAsync((c, ct) => c.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels },
        }, ct), cancellationToken);
    }

    private async Task<ContainerFinalState?> RemoveAsync(DockerEndpoint endpoint, string workflowId, string id, CancellationToken cancellationToken)
    {
        var before = await TryInspectAsync(endpoint, id, cancellationToken);
        if (before is null)
        {
            return null;
        }

        var name = before.Name.TrimStart('/');
        var state = before.State;
        if (state.Running || state.Restarting || state.Paused)
        {
            try
            {
                var grace = _options.StopGracePeriod;
                await endpoint.CallAsync(
                    (c, ct) => c.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)grace.TotalSeconds }, ct),
                    cancellationToken,
                    grace + endpoint.RequestTimeout);
            }
            catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.NotModified)
            {
            }
        }

        if (state.Status != "created")
        {
            await SaveLogsAsync(endpoint, workflowId, id, name, cancellationToken);
        }

        try
        {
            await endpoint.CallAsync(
                (c, ct) => c.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct),
                cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound
                                          || (e.StatusCode == HttpStatusCode.Conflict && e.ResponseBody.Contains("already in progress", StringComparison.OrdinalIgnoreCase)))
        {
        }

        Log.Removed(_logger, name, workflowId, state.Status);
        var labels = before.Config.Labels;
        return new ContainerFinalState(
            name,
            ContainerNames.ParseRole(Label(labels, ContainerLabels.Role)),
            Label(labels, ContainerLabels.Service),
            state.Status,
            state.Running || state.Status == "created" ? null : state.ExitCode,
            (int)before.RestartCount);
    }

    private async Task<ActionWaitResult> EndedAsync(
        DockerEndpoint endpoint, string workflowId, ContainerInspectResponse container, ActionRunState outcome, CancellationToken cancellationToken)
    {
        var name = container.Name.TrimStart('/');
        await SaveLogsAsync(endpoint, workflowId, container.ID, name, cancellationToken);
        var tail = await ContainerLogs.TailAsync(endpoint, container.ID, _options.LogTailLines, cancellationToken);
        var state = container.State;
        return new ActionWaitResult(outcome, state.ExitCode, ParseTime(state.StartedAt), ParseTime(state.FinishedAt), tail);
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

    private static async Task KillAsync(DockerEndpoint endpoint, string id, CancellationToken cancellationToken)
    {
        try
        {
            await endpoint.CallAsync((c, ct) => c.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "KILL" }, ct), cancellationToken);
        }
        catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            // Already gone or no longer running.
        }
    }

    /// <summary>After a kill: the container's state once it is no longer running (bounded by the request timeout).</summary>
    private async Task<ContainerInspectResponse?> WaitStoppedAsync(DockerEndpoint endpoint, string id, CancellationToken cancellationToken)
    {
        var end = DateTimeOffset.UtcNow + endpoint.RequestTimeout;
        while (true)
        {
            var container = await TryInspectAsync(endpoint, id, cancellationToken);
            if (container is null || !container.State.Running || DateTimeOffset.UtcNow >= end)
            {
                return container;
            }

            await Task.Delay(_options.PollInterval, cancellationToken);
        }
    }

    /// <summary>Returns when the container stops or <paramref name="bound"/> passes, whichever is first.</summary>
    private static async Task WaitUntilStoppedOrAsync(DockerEndpoint endpoint, string id, TimeSpan bound, CancellationToken cancellationToken)
    {
        if (bound <= TimeSpan.Zero)
        {
            return;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(bound);
        try
        {
            // Docker's wait call blocks until the container stops: no polling while an action runs.
            await endpoint.Client.Containers.WaitContainerAsync(id, cts.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            // The caller inspects next, which reports an unreachable endpoint clearly.
        }
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
        return Failed(serviceName, state.Status, state.Health?.Status, (int)container.RestartCount, withLogs, tail);
    }

    private static ServiceReadiness Failed(string serviceName, string state, string? health, int restarts, string reason, IReadOnlyList<string> tail) =>
        new(serviceName, false, state, health, restarts, reason, tail);

    private static string? Label(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;

    private void AddTaskHubLabel(IDictionary<string, string> labels)
    {
        if (!string.IsNullOrEmpty(_options.TaskHub))
        {
            labels[ContainerLabels.TaskHub] = _options.TaskHub;
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>A time Docker reported, as UTC whatever kind the client library gave it.</summary>
    public static DateTimeOffset AsUtc(DateTime time) =>
        time.Kind == DateTimeKind.Local ? new DateTimeOffset(time.ToUniversalTime()) : new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    internal static DateTimeOffset? ParseTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) && t.Year > 1
            ? t.ToUniversalTime()
            : null;

    private static string DockerMessage(DockerApiException e)
    {
        var body = e.ResponseBody?.Trim() ?? "";
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("message", out var m) && m.GetString() is { } message)
            {
                return message;
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return body.Length > 0 ? body : e.StatusCode.ToString();
    }

    /// <summary>Collects the first error of a pull's progress stream (synchronously, unlike Progress&lt;T&gt;).</summary>
    private sealed class PullProgress : IProgress<JSONMessage>
    {
        public string? Error { get; private set; }

        public void Report(JSONMessage value)
        {
            Error ??= value.Error?.Message is { Length: > 0 } m ? m : value.ErrorMessage is { Length: > 0 } em ? em : null;
        }
    }
}
