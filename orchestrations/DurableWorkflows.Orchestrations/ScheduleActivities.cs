using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;

namespace DurableWorkflows.Orchestrations;

/// <summary>The schedule's activities, one typed method each, tried three times a second apart.</summary>
internal sealed class ScheduleActivities(TaskOrchestrationContext context)
{
    private static readonly TaskOptions Retry =
        TaskOptions.FromRetryPolicy(new RetryPolicy(maxNumberOfAttempts: 3, firstRetryInterval: TimeSpan.FromSeconds(1)));

    public Task<RunState> GetRunStateAsync(string workflowId) =>
        context.CallActivityAsync<RunState>(ActivityNames.GetRunState, workflowId, Retry);

    public Task<ScheduledRunStarted> StartScheduledRunAsync(StartScheduledRunInput input) =>
        context.CallActivityAsync<ScheduledRunStarted>(ActivityNames.StartScheduledRun, input, Retry);
}
