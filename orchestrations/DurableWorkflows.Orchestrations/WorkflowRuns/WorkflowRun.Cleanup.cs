using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;
using static DurableWorkflows.Orchestrations.WorkflowRuns.StatusTransitions;

namespace DurableWorkflows.Orchestrations.WorkflowRuns;

/// <summary>The end of a run: every container removed, then the final status.</summary>
internal sealed partial class WorkflowRun
{
    /// <summary>Removes every container of the workflow (and so kills a running action), with retries.</summary>
    public async Task CleanupAsync()
    {
        DateTimeOffset start = Now;
        try
        {
            CleanupResult result = await activities.CleanupWorkflowAsync(new CleanupWorkflowInput(WorkflowId, workers, settings.WorkerEndpoints));
            Status = ServicesRemoved(Status, result, Now, exitFoundIsEvent: !settings.InspectsServicesAlongsideLastAction);
        }
        catch (TaskFailedException ex)
        {
            Log.CleanupFailed(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, ex.Message);
            Status = CleanupFailed(Status, ex.FailureDetails.ErrorMessage);
        }

        telemetry.Cleanup(start, Now, context.IsReplaying);
    }

    /// <summary>The final status (see <see cref="StatusTransitions.Finish"/>); published and returned.</summary>
    public WorkflowStatus Finish(WorkflowOutcome outcome)
    {
        Status = StatusTransitions.Finish(Status, outcome, Now);
        Publish();
        Log.Finished(context.CreateReplaySafeLogger<WorkflowOrchestrator>(), WorkflowId, outcome.State.ToString(), outcome.Message);
        return Status;
    }
}
