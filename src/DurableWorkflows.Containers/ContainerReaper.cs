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
    public async Task<IReadOnlyList<ContainerFinalState>> ReapAsync(CancellationToken cancellationToken = default)
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

        var removed = new List<ContainerFinalState>();
        foreach (var endpoint in _engine.Endpoints.All((uri, e) => Log.ReaperEndpointFailed(_logger, e, uri), extra))
        {
            try
            {
                foreach (var workflowId in await _engine.ListWorkflowIdsAsync(endpoint, cancellationToken))
                {
                    if (await _liveness.IsActiveAsync(workflowId, cancellationToken))
                    {
                        continue;
                    }

                    Log.Reaping(_logger, workflowId, endpoint.Uri);
                    removed.AddRange(await _engine.CleanupEndpointAsync(endpoint, workflowId, cancellationToken));
                }
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

        return removed;
    }
}
