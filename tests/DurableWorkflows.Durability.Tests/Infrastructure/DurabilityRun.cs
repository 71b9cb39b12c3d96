using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Durability.Tests.Infrastructure;

/// <summary>
/// The scope of one test: its own task hub on Azurite, its own scratch folder, its nodes and its workflows. Disposing
/// kills the nodes, removes whatever containers of its workflows and its task hub are left (only those) and deletes the
/// folder.
/// </summary>
public sealed class DurabilityRun : IAsyncDisposable
{
    private readonly List<ServeNode> nodes = [];
    private readonly List<string> workflowIds = [];

    public DurabilityRun()
    {
        TaskHub = "dur" + Guid.NewGuid().ToString("N")[..12];
        Scratch = Path.Combine(Path.GetTempPath(), "dwf-durability-" + TaskHub);
        Directory.CreateDirectory(Scratch);
        string endpoint = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock";
        Docker = new DockerClientConfiguration(new Uri(endpoint)).CreateClient();
    }

    public string TaskHub { get; }

    public string Scratch { get; }

    public DockerClient Docker { get; }

    /// <summary>A node of this run's task hub with its own data directory.</summary>
    public ServeNode AddNode(string workerId, int reaperPeriodSeconds = 30, IReadOnlyDictionary<string, string>? settings = null)
    {
        var node = new ServeNode(TaskHub, workerId, Path.Combine(Scratch, workerId), reaperPeriodSeconds, settings);
        nodes.Add(node);
        return node;
    }

    /// <summary>POST /api/workflows under a new id (with the stored Hardware record <paramref name="hardware"/>, if given); returns the id.</summary>
    public async Task<string> StartWorkflowAsync(ServeNode node, string template, CancellationToken cancellationToken, string? hardware = null)
    {
        string id = Guid.NewGuid().ToString("D");
        workflowIds.Add(id);
        using HttpResponseMessage response = await node.Http.PostAsJsonAsync("/api/workflows", new { template, id, hardware }, cancellationToken);
        Assert.True(
            response.StatusCode == HttpStatusCode.Accepted,
            $"start returned {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        return id;
    }

    /// <summary>GET /api/workflows/{id}: the workflow's state, or null while the API does not know it yet.</summary>
    public static async Task<string?> GetStateAsync(ServeNode node, string id, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await node.Http.GetAsync($"/api/workflows/{id}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        Assert.True(response.IsSuccessStatusCode, $"status returned {(int)response.StatusCode}");
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("state").GetString();
    }

    /// <summary>Polls the status until it is one of <paramref name="states"/>; fails with the nodes' output at the deadline.</summary>
    public async Task<string> WaitForStateAsync(ServeNode node, string id, CancellationToken cancellationToken, params string[] states)
    {
        string? state = null;
        while (true)
        {
            try
            {
                state = await GetStateAsync(node, id, cancellationToken);
                if (state is not null && states.Contains(state))
                {
                    return state;
                }

                await Task.Delay(250, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"workflow {id} did not reach {string.Join("|", states)} in time (last state {state ?? "unknown"}).\n{NodeOutput()}");
            }
        }
    }

    /// <summary>The containers (any state) labelled with the workflow id.</summary>
    public Task<IList<ContainerListResponse>> ContainersOfAsync(string workflowId, CancellationToken cancellationToken) =>
        ContainersLabelledAsync($"{ContainerLabels.WorkflowId}={workflowId}", cancellationToken);

    /// <summary>The containers (any state) with the label <c>KEY=VALUE</c>.</summary>
    private async Task<IList<ContainerListResponse>> ContainersLabelledAsync(string label, CancellationToken cancellationToken) =>
        await Docker.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
            },
            cancellationToken);

    /// <summary>
    /// Records the Docker events <paramref name="actions"/> (create, start, ...) of this run's containers (those labelled
    /// with its task hub) from now until <paramref name="cancellationToken"/> ends, as Docker reports them.
    /// </summary>
    public ContainerEventLog WatchContainerEvents(CancellationToken cancellationToken, params string[] actions)
    {
        var log = new ContainerEventLog();
        var filters = new Dictionary<string, IDictionary<string, bool>>
        {
            ["type"] = new Dictionary<string, bool> { ["container"] = true },
            ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.TaskHub}={TaskHub}"] = true },
            ["event"] = actions.ToDictionary(a => a, _ => true),
        };
        log.Watching = Docker.System.MonitorEventsAsync(new ContainerEventsParameters { Filters = filters }, log, cancellationToken);
        return log;
    }

    /// <summary>Waits until a container of the workflow runs (the action has started).</summary>
    public async Task WaitForRunningContainerAsync(string workflowId, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                if ((await ContainersOfAsync(workflowId, cancellationToken)).Any(c => c.State == "running"))
                {
                    return;
                }

                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"no container of workflow {workflowId} ran in time.\n{NodeOutput()}");
            }
        }
    }

    /// <summary>Waits until no container of the workflow is left; fails naming what is left at the deadline.</summary>
    public async Task WaitNoContainerLeftAsync(string workflowId, CancellationToken cancellationToken)
    {
        IList<ContainerListResponse> left = [];
        while (true)
        {
            try
            {
                left = await ContainersOfAsync(workflowId, cancellationToken);
                if (left.Count == 0)
                {
                    return;
                }

                await Task.Delay(200, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"containers of workflow {workflowId} left: {string.Join(", ", left.Select(c => $"{c.Names.FirstOrDefault()} ({c.State})"))}\n{NodeOutput()}");
            }
        }
    }

    /// <summary>The host folder the workflow's containers see as /workflow, on a node.</summary>
    public static string WorkflowFolder(ServeNode node, string workflowId) => Path.Combine(node.DataDirectory, "workflows", workflowId);

    public string NodeOutput() =>
        string.Join("\n", nodes.Select(n => $"=== node {n.WorkerId} (task hub {n.TaskHub}) ===\n{n.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (ServeNode node in nodes)
        {
            node.Dispose();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (string label in workflowIds.Select(id => $"{ContainerLabels.WorkflowId}={id}").Append($"{ContainerLabels.TaskHub}={TaskHub}"))
        {
            foreach (ContainerListResponse container in await ContainersLabelledAsync(label, cts.Token))
            {
                try
                {
                    await Docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }, cts.Token);
                }
                catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
                {
                }
            }
        }

        Docker.Dispose();
        try
        {
            Directory.Delete(Scratch, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
