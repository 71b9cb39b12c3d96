using DurableWorkflows.Core.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableWorkflows.Containers;

/// <summary>Removes the containers of workflows that are no longer active, on every known Docker endpoint.</summary>
public sealed class ContainerReaper
{
    private readonly ContainerEngine _engine;
    private readonly IWorkflowLiveness _liveness;
    private readonly ILogger _logger;

    public ContainerReaper(ContainerEngine engine, IWorkflowLiveness liveness, ILogger<ContainerReaper>? logger = null)
    {
        _engine = engine;
        _liveness = liveness;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>One pass: returns what it removed. An unreachable endpoint is logged and skipped.</summary>
    public async Task<IReadOnlyList<ContainerFinalState>> ReapAsync(CancellationToken cancellationToken = default)
    {
        var removed = new List<ContainerFinalState>();
        foreach (var endpoint in _engine.Endpoints.All((uri, e) => Log.ReaperEndpointFailed(_logger, e, uri)))
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

        return removed;
    }
}
