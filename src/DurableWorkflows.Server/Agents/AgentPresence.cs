using System.Collections.Concurrent;
using DurableWorkflows.Core.Telemetry;

namespace DurableWorkflows.Server.Agents;

/// <summary>
/// The agents that called lately (<c>dwf.agents.connected</c>: those seen within <see cref="Window"/>; agents poll every
/// few seconds while they wait for work). Keyed by the agent's ID as each protocol's requests carry it.
/// </summary>
public sealed class AgentPresence
{
    /// <summary>How recently an agent must have called to count as connected.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, DateTimeOffset> lastSeen = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider time = TimeProvider.System;

    /// <summary>This server's agents are what <c>dwf.agents.connected</c> reports.</summary>
    public AgentPresence() => DwfTelemetry.ConnectedAgents = Connected;

    public void Seen(object? request)
    {
        string? id = request switch
        {
            Tink.ActionRequest r => r.AgentId,
            Tink.ActionStatusRequest r => r.AgentId,
            Logs.UploadLogRequest r => r.AgentId,
            TinkWorker.WorkflowContextRequest r => r.WorkerId,
            TinkWorker.WorkflowActionStatus r => r.WorkerId,
            _ => null,
        };
        if (!string.IsNullOrWhiteSpace(id))
        {
            lastSeen[id.Trim()] = time.GetUtcNow();
        }
    }

    public int Connected()
    {
        DateTimeOffset since = time.GetUtcNow() - Window;
        foreach ((string id, DateTimeOffset at) in lastSeen)
        {
            if (at < since)
            {
                lastSeen.TryRemove(KeyValuePair.Create(id, at));
            }
        }

        return lastSeen.Count;
    }
}
