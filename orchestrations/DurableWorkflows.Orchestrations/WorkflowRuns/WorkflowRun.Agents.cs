using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using static DurableWorkflows.Orchestrations.WorkflowRuns.StatusTransitions;

namespace DurableWorkflows.Orchestrations.WorkflowRuns;

/// <summary>
/// Revision 2: an attempt (or handler) whose worker an agent serves is offered to that agent in the status, then awaited
/// on the agent's reports (external events). The action's timeout is a durable timer from its RUNNING report: an agent
/// that goes silent past it and the grace for its own report (<see cref="WorkflowSettings.AgentReportGrace"/>) ends the attempt TIMEOUT; a later report is stale.
/// </summary>
internal sealed partial class WorkflowRun
{
    /// <summary>The reports one attempt takes (RUNNING again, stale ones) before it fails: each is history, which must stay bounded.</summary>
    private const int MaxReportsPerAttempt = 1000;

    private async Task<AttemptEnd> RunOnAgentAsync(
        TaskDefinition task, ActionDefinition action, int attempt, string agent, string? handler, IReadOnlyList<string>? command)
    {
        var offer = new AgentOffer(agent, AgentOffer.IdOf(task.Name, action.Name, attempt, handler), task.Name, action.Name, attempt, command, Now);
        Update(s => Offered(s, offer, handler is null));
        DateTimeOffset? startedAt = null;
        Task? deadline = null;
        // Both the wait and the timer end when the run stops (cancel, global timeout): a timer left pending would hold the orchestration open.
        using var deadlineCts = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        try
        {
            for (int reports = 0; reports < MaxReportsPerAttempt; reports++)
            {
                ThrowIfStopped();
                using var waitCts = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
                Task<AgentReport> next = context.WaitForExternalEvent<AgentReport>(EventNames.AgentReport, waitCts.Token);
                Task first = deadline is null ? await Task.WhenAny(next) : await Task.WhenAny(next, deadline);
                if (first != next)
                {
                    // The waiter goes, so that the next attempt's wait gets the next report.
                    waitCts.Cancel();
                    Update(s => s with { Offer = null });
                    return new AttemptEnd(ActionState.TIMEOUT, null, startedAt ?? offer.OfferedAt, Now,
                        $"agent {agent} reported no end within the timeout of {action.TimeoutSeconds} s (and {settings.AgentReportGrace.TotalSeconds:0} s of grace)", []);
                }

                AgentReport report = await next;
                if (report.OfferId != offer.Id || report.AgentId != agent)
                {
                    continue;
                }

                if (report.State == AgentActionState.RUNNING)
                {
                    if (startedAt is null)
                    {
                        startedAt = Now;
                        offer = offer with { Running = true };
                        Update(s => AgentRunning(s, offer, startedAt.Value, handler is null));
                        if (action.TimeoutSeconds is int seconds && seconds > 0)
                        {
                            deadline = context.CreateTimer(startedAt.Value.UtcDateTime + TimeSpan.FromSeconds(seconds) + settings.AgentReportGrace, deadlineCts.Token);
                        }
                    }

                    continue;
                }

                Update(s => s with { Offer = null });
                return AgentEnded(agent, report, startedAt ?? offer.OfferedAt, Now);
            }

            Update(s => s with { Offer = null });
            return new AttemptEnd(ActionState.FAILED, null, startedAt ?? offer.OfferedAt, Now, $"agent {agent} sent {MaxReportsPerAttempt} reports without an end", []);
        }
        finally
        {
            // Cancelled here, not only through the run's stop: a linked source disposed first would leave the timer pending.
            deadlineCts.Cancel();
        }
    }
}
