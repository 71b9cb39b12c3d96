using System.Diagnostics.CodeAnalysis;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableWorkflows.Core.Contracts;
using Microsoft.Extensions.Logging;

namespace DurableWorkflows.Containers.DockerApi;

/// <summary>
/// Thin operations on one container of a Docker endpoint: inspect, list by label, create-or-find, start, kill, stop,
/// remove and wait. Each says what failed in a <see cref="ContainerEngineException"/> naming the container's owner.
/// </summary>
internal sealed class DockerContainerOperations(DockerOptions options, DockerImageOperations images, ILogger logger)
{
    /// <summary>The container, or null when the endpoint has none of that id or name.</summary>
    public static async Task<ContainerInspectResponse?> TryInspectAsync(DockerEndpoint endpoint, string idOrName, CancellationToken cancellationToken)
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

    /// <summary>Every container (running or not) carrying all of <paramref name="labels"/> (<c>key</c> or <c>key=value</c>).</summary>
    public static Task<IList<ContainerListResponse>> ListAsync(DockerEndpoint endpoint, IEnumerable<string> labels, CancellationToken cancellationToken) =>
        endpoint.CallAsync((c, ct) => c.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels.ToDictionary(l => l, _ => true) },
        }, ct), cancellationToken);

    /// <summary>The containers of a workflow, of one role or all.</summary>
    public static Task<IList<ContainerListResponse>> ListAsync(DockerEndpoint endpoint, string workflowId, ContainerRole? role, CancellationToken cancellationToken) =>
        ListAsync(
            endpoint,
            role is { } r
                ? [$"{ContainerLabels.WorkflowId}={workflowId}", $"{ContainerLabels.Role}={ContainerNames.RoleLabel(r)}"]
                : [$"{ContainerLabels.WorkflowId}={workflowId}"],
            cancellationToken);

    /// <summary>
    /// Creates the container (its image made sure of first), or finds the one of that name, which must belong to the
    /// workflow. A create that loses a race to another finds the winner. Returns the container's id and, when it was
    /// found rather than created, what the inspect found (a container just created is in Docker's <c>created</c> state,
    /// so it is not inspected again). <paramref name="beforeCreate"/>, when given, is awaited once the container is
    /// known to be missing, before its image and its create; <paramref name="shape"/>, when given, makes the create's
    /// parameters from <paramref name="parameters"/> and the image (which it must not rename nor give another image).
    /// </summary>
    public async Task<(string Id, ContainerInspectResponse? Existing)> CreateOrFindAsync(
        DockerEndpoint endpoint, CreateContainerParameters parameters, string workflowId, string owner, CancellationToken cancellationToken,
        Func<Task>? beforeCreate = null, Func<ImageInspectResponse, CreateContainerParameters>? shape = null)
    {
        var existing = await TryInspectAsync(endpoint, parameters.Name, cancellationToken);
        if (existing is null)
        {
            if (beforeCreate is not null)
            {
                await beforeCreate();
            }

            var image = await images.EnsureAsync(endpoint, parameters.Image, owner, cancellationToken);
            parameters = shape?.Invoke(image) ?? parameters;
            try
            {
                var created = await endpoint.CallAsync((c, ct) => c.Containers.CreateContainerAsync(parameters, ct), cancellationToken);
                Log.Created(logger, parameters.Name, parameters.Image, endpoint.Uri);
                return (created.ID, null);
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
            {
                existing = await WinnerOfCreateAsync(endpoint, parameters.Name, cancellationToken)
                    ?? throw new ContainerEngineException($"{owner}: cannot create container {parameters.Name} on {endpoint}: {DockerMessage(e)}", e);
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

        Log.FoundExisting(logger, parameters.Name, existing.State.Status, endpoint.Uri);
        return (existing.ID, existing);
    }

    /// <summary>
    /// The container of a create that won the name: Docker reserves a name as a create begins and lists the container only
    /// once that create is done, so an inspect between the two finds nothing; looked for again until it is there (or the
    /// bound passes: then the name is held by something that never became a container).
    /// </summary>
    private static async Task<ContainerInspectResponse?> WinnerOfCreateAsync(DockerEndpoint endpoint, string name, CancellationToken cancellationToken)
    {
        var end = DateTimeOffset.UtcNow + endpoint.RequestTimeout;
        while (true)
        {
            if (await TryInspectAsync(endpoint, name, cancellationToken) is { } found)
            {
                return found;
            }

            if (DateTimeOffset.UtcNow >= end)
            {
                return null;
            }

            await Task.Delay(CreateRaceRecheck, cancellationToken);
        }
    }

    private static readonly TimeSpan CreateRaceRecheck = TimeSpan.FromMilliseconds(10);

    /// <summary>Whether a container from <see cref="CreateOrFindAsync"/> has still to be started: just created, or found only created.</summary>
    public static bool NotStarted([NotNullWhen(false)] ContainerInspectResponse? existing) =>
        existing is null || DockerStates.Parse(existing.State.Status) == DockerStatus.Created;

    public static async Task StartAsync(DockerEndpoint endpoint, string id, string name, string owner, CancellationToken cancellationToken)
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

    /// <summary>SIGKILL; a container already gone or stopped is fine.</summary>
    public static async Task KillAsync(DockerEndpoint endpoint, string id, CancellationToken cancellationToken)
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

    /// <summary>SIGTERM, then SIGKILL after the grace period; a container already gone or stopped is fine.</summary>
    public async Task StopAsync(DockerEndpoint endpoint, string id, CancellationToken cancellationToken)
    {
        try
        {
            var grace = options.StopGracePeriod;
            await endpoint.CallAsync(
                (c, ct) => c.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = (uint)grace.TotalSeconds }, ct),
                cancellationToken,
                grace + endpoint.RequestTimeout);
        }
        catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.NotModified)
        {
        }
    }

    /// <summary>Removes the container and its anonymous volumes; one already gone, or being removed, is fine.</summary>
    public static async Task RemoveAsync(DockerEndpoint endpoint, string id, CancellationToken cancellationToken)
    {
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
    }

    /// <summary>After a kill: the container's state once it is no longer running (bounded by the request timeout).</summary>
    public async Task<ContainerInspectResponse?> WaitStoppedAsync(DockerEndpoint endpoint, string id, CancellationToken cancellationToken)
    {
        var end = DateTimeOffset.UtcNow + endpoint.RequestTimeout;
        while (true)
        {
            var container = await TryInspectAsync(endpoint, id, cancellationToken);
            if (container is null || !container.State.Running || DateTimeOffset.UtcNow >= end)
            {
                return container;
            }

            await Task.Delay(options.PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// Returns when the container stops or <paramref name="bound"/> passes, whichever is first: the exit code when it
    /// stopped and Docker told it (its <c>die</c> event or its wait's answer), else null (the caller inspects).
    /// </summary>
    public static async Task<long?> WaitUntilStoppedOrAsync(DockerEndpoint endpoint, string id, TimeSpan bound, CancellationToken cancellationToken)
    {
        if (bound <= TimeSpan.Zero)
        {
            return null;
        }

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(bound);
        using var watch = endpoint.Events.Watch(id, endsOnly: true);
        try
        {
            // Docker's wait call blocks until the container stops: no polling while an action runs. Its die event
            // comes a few milliseconds before the wait's answer, so whichever is first ends the wait.
            Task<ContainerWaitResponse> waited = endpoint.Client.Containers.WaitContainerAsync(id, cts.Token);
            Task<bool> died = watch.NextAsync(bound, bound, cts.Token);
            if (await Task.WhenAny(waited, died) == died && died.IsCompletedSuccessfully && died.Result && watch.DiedWith is { } code)
            {
                return code;
            }

            // Docker's wait goes on when the watch only timed out (it looks once a second while the stream is up).
            return (await waited).StatusCode;
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
        finally
        {
            // Whichever lost is let go now: the watch's timer, or Docker's wait.
            cts.Cancel();
        }

        return null;
    }

    public static string? Label(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;

    /// <summary>Docker's own message of an API error (its JSON <c>message</c>), else its body or status.</summary>
    public static string DockerMessage(DockerApiException e)
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
}
