namespace DurableWorkflows.Containers;

/// <summary>
/// Docker endpoints that workflows may use beyond host.json's (the endpoints named by Hardware records): the reaper
/// sweeps them too, so a container left on one of them is removed like any other.
/// </summary>
public interface IDockerEndpointSource
{
    Task<IReadOnlyCollection<string>> EndpointsAsync(CancellationToken cancellationToken = default);
}
