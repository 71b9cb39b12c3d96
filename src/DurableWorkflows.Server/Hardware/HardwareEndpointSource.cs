using DurableWorkflows.Containers;
using DurableWorkflows.Core.Hardware;

namespace DurableWorkflows.Server.Hardware;

/// <summary>The Docker endpoints the stored Hardware records name, for the reaper to sweep.</summary>
public sealed class HardwareEndpointSource(IHardwareInventory inventory) : IDockerEndpointSource
{
    public async Task<IReadOnlyCollection<string>> EndpointsAsync(CancellationToken cancellationToken = default)
    {
        var endpoints = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in await inventory.ListAsync(cancellationToken))
        {
            if (HardwareRecord.Parse(entry.Text).Record?.DockerEndpoint is { } endpoint)
            {
                endpoints.Add(endpoint);
            }
        }

        return endpoints;
    }
}
