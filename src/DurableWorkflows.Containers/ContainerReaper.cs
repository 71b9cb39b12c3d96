using DurableWorkflows.Core.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableWorkflows.Containers;

/// <summary>
/// Removes the containers of workflows that are no longer active, on every known Docker endpoint: host.json's and
/// those of the <see cref="IDockerEndpointSource"/>s.
/// </summary>
public sealed class ContainerReaper
{
    private readonly ContainerEngine _engine;
    private readonly IWorkflowLiveness _liveness;
    private readonly ILogger _logger;
    private readonly IReadOnlyList<IDockerEndpointSource> _sources;

    public ContainerReaper(
        ContainerEngine engine,
        IWorkflowLiveness liveness,
        ILogger<ContainerReaper>? logger = null,
        IEnumerable<IDockerEndpointSource>? sources = null)
    {
        _engine = engine;
        _liveness = liveness;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _sources = [.. sources ?? []];
    }

    /// <summary>One pass: returns what it removed. An unreachable endpoint (or source of endpoints) is logged and skipped.</summary>
    public Task<IReadOnlyList<ContainerFinalState>> ReapAsync(CancellationToken cancellationToken = default) =>
        PassAsync(async (workflowId, ct) => !await _liveness.IsActiveAsync(workflowId, ct), "it is not active", cancellationToken);

    /// <summary>
    /// Removes the containers of every workflow of this task hub, active or not: a server on the memory backend does it
    /// as it stops, since none of its workflows outlives the process to clean up after itself.
    /// </summary>
    public Task<IReadOnlyList<ContainerFinalState>> RemoveAllAsync(CancellationToken cancellationToken = default) =>
        PassAsync((_, _) => ValueTask.FromResult(true), "the server stops, and its backend keeps no workflow", cancellationToken);

    /// <summary>A pass over every endpoint, removing the containers of the workflows <paramref name="remove"/> picks, a few workflows at a time.</summary>
    private async Task<IReadOnlyList<ContainerFinalState>> PassAsync(
        Func<string, CancellationToken, ValueTask<bool>> remove, string why, CancellationToken cancellationToken)
    {
        var extra = new List<string>();
        foreach (var source in _sources)
        {
            try
            {
                extra.AddRange(await source.EndpointsAsync(cancellationToken));
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                Log.ReaperSourceFailed(_logger, e, source.GetType().Name);
            }
        }

        var removed = new System.Collections.Concurrent.ConcurrentQueue<ContainerFinalState>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken };
        foreach (var endpoint in _engine.Endpoints.All((uri, e) => Log.ReaperEndpointFailed(_logger, e, uri), extra))
        {
            try
            {
                await Parallel.ForEachAsync(await _engine.ListWorkflowIdsAsync(endpoint, cancellationToken), parallel, async (workflowId, ct) =>
                {
                    if (await remove(workflowId, ct))
                    {
                        Log.Reaping(_logger, workflowId, endpoint.Uri, why);
                        foreach (ContainerFinalState state in await _engine.CleanupEndpointAsync(endpoint, workflowId, ct))
                        {
                            removed.Enqueue(state);
                        }
                    }
                });
            }
            catch (DockerUnreachableException e)
            {
                // An engine that is down or restarting: one line each pass, not a stack trace; the next pass tries again.
                Log.ReaperEndpointUnreachable(_logger, endpoint.Uri, e.Message);
            }
            catch (ContainerEngineException e)
            {
                Log.ReaperEndpointFailed(_logger, e, endpoint.Uri);
            }
        }

        if (removed.Count > 0)
        {
            Core.Telemetry.DwfTelemetry.ReaperRemovals.Add(removed.Count);
        }

        return [.. removed];
    }
}
