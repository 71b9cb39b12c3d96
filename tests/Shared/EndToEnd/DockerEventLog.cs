using System.Collections.Concurrent;
using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Testing;

/// <summary>One container event as Docker reported it, with Docker's own timestamp.</summary>
/// <param name="Kind">Docker's action: create, start, health_status: healthy, die, destroy, ...</param>
/// <param name="ActionName">The workflow action the container runs (its action label), for action and handler containers.</param>
public sealed record DockerEvent(string ContainerId, string Kind, string Role, string? Name, string? Service, string? ActionName, long TimeNano);

/// <summary>
/// Docker's event stream for one workflow's containers (filtered by its workflow-id label). The stream is opened with
/// <c>since</c> a moment before the workflow starts, so Docker replays anything that happened before the connection
/// was up: no event of the workflow is missed. Timestamps are the engine's own (<c>timeNano</c>), so they order
/// what happened inside Docker (a health check passing, a container starting) without relying on this process's clock
/// or on inspect data that is gone once the cleanup has removed the containers.
/// </summary>
public sealed class DockerEventLog : IAsyncDisposable
{
    private readonly ConcurrentQueue<DockerEvent> events = new();
    private readonly CancellationTokenSource stop = new();
    private readonly DockerClient client;
    private Task monitor = Task.CompletedTask;

    private DockerEventLog(DockerClient client) => this.client = client;

    public IReadOnlyList<DockerEvent> Events => [.. events.OrderBy(e => e.TimeNano)];

    /// <summary>Opens the stream on a client of its own (<paramref name="client"/> is disposed with the log).</summary>
    public static DockerEventLog Start(DockerClient client, string workflowId)
    {
        var log = new DockerEventLog(client);
        string since = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 2).ToString(CultureInfo.InvariantCulture);
        var parameters = new ContainerEventsParameters
        {
            Since = since,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["type"] = new Dictionary<string, bool> { ["container"] = true },
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.WorkflowId}={workflowId}"] = true },
            },
        };
        log.monitor = Task.Run(async () =>
        {
            try
            {
                await client.System.MonitorEventsAsync(parameters, new Recorder(log.events), log.stop.Token);
            }
            catch (Exception) when (log.stop.IsCancellationRequested)
            {
                // Stopped: cancelled, or the client closed under it.
            }
        });
        return log;
    }

    /// <summary>Waits (bounded by <paramref name="cancellationToken"/>) until every container seen being created was also seen destroyed.</summary>
    public async Task WaitAllDestroyedAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            IReadOnlyList<DockerEvent> all = Events;
            var created = all.Where(e => e.Kind == "create").Select(e => e.ContainerId).ToHashSet();
            var destroyed = all.Where(e => e.Kind == "destroy").Select(e => e.ContainerId).ToHashSet();
            if (created.Count > 0 && created.IsSubsetOf(destroyed))
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            // The stream may not notice the cancellation before its next event: closing the client ends it.
            await monitor.WaitAsync(TimeSpan.FromSeconds(2));
        }
        catch (TimeoutException)
        {
        }

        client.Dispose();
        stop.Dispose();
    }

    private sealed class Recorder(ConcurrentQueue<DockerEvent> sink) : IProgress<Message>
    {
        public void Report(Message value)
        {
            IDictionary<string, string> attributes = value.Actor?.Attributes ?? new Dictionary<string, string>();
            sink.Enqueue(new DockerEvent(
                value.Actor?.ID ?? value.ID,
                value.Action,
                attributes.TryGetValue(ContainerLabels.Role, out string? role) ? role : "",
                attributes.TryGetValue("name", out string? name) ? name : null,
                attributes.TryGetValue(ContainerLabels.Service, out string? service) ? service : null,
                attributes.TryGetValue(ContainerLabels.Action, out string? action) ? action : null,
                value.TimeNano));
        }
    }
}
