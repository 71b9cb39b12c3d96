using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask.Client;

namespace DurableWorkflows.Orchestrations.Tests.Infrastructure;

/// <summary>
/// Plays an agent against the test host: waits for the workflow's status to offer an action, then raises the agent's
/// reports as the server's agent endpoint does.
/// </summary>
public static class AgentDriver
{
    /// <summary>The next offer whose id is not <paramref name="after"/> (the one already answered), once the status shows it.</summary>
    public static async Task<AgentOffer> OfferAsync(OrchestrationHost host, string id, CancellationToken cancellation, string? after = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        while (true)
        {
            OrchestrationMetadata? metadata = await host.Client.GetInstanceAsync(id, getInputsAndOutputs: true, cancellation);
            if (metadata?.ReadCustomStatusAs<WorkflowStatus>()?.Offer is { } offer && offer.Id != after)
            {
                return offer;
            }

            await Task.Delay(20, cancellation);
        }
    }

    public static Task ReportAsync(OrchestrationHost host, string id, AgentOffer offer, AgentActionState state, CancellationToken cancellation, string? message = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(offer);
        return host.Client.RaiseEventAsync(id, EventNames.AgentReport, new AgentReport(offer.AgentId, offer.Id, state, null, null, message), cancellation);
    }

    /// <summary>Answers the next offer with RUNNING, then <paramref name="end"/>; returns the offer.</summary>
    public static async Task<AgentOffer> RunAsync(OrchestrationHost host, string id, AgentActionState end, CancellationToken cancellation, string? after = null, string? message = null)
    {
        AgentOffer offer = await OfferAsync(host, id, cancellation, after);
        await ReportAsync(host, id, offer, AgentActionState.RUNNING, cancellation);
        await ReportAsync(host, id, offer, end, cancellation, message);
        return offer;
    }
}
