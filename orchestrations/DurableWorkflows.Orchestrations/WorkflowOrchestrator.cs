using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Orchestrations.WorkflowRuns;
using Microsoft.DurableTask;

namespace DurableWorkflows.Orchestrations;

/// <summary>
/// One workflow (docs/ARCHITECTURE.md): services, then tasks, raced against the global timeout and the cancel event;
/// the cleanup runs on every path. Input <see cref="WorkflowInput"/>, output the final <see cref="WorkflowStatus"/>;
/// the custom status is the same status, compacted, while it runs.
/// </summary>
public sealed class WorkflowOrchestrator : TaskOrchestrator<WorkflowInput, WorkflowStatus>
{
    public override async Task<WorkflowStatus> RunAsync(TaskOrchestrationContext context, WorkflowInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        using var run = new WorkflowRun(context, input);
        run.Publish();

        using var timerCts = new CancellationTokenSource();
        using var cancelCts = new CancellationTokenSource();
        var racers = new List<Task>();
        Task? globalTimeout = null;
        int globalSeconds = input.Definition.GlobalTimeoutSeconds;
        if (globalSeconds > 0)
        {
            globalTimeout = context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(globalSeconds), timerCts.Token);
            racers.Add(globalTimeout);
        }

        Task<CancelRequest> cancel = context.WaitForExternalEvent<CancelRequest>(EventNames.Cancel, cancelCts.Token);
        racers.Add(cancel);

        WorkflowOutcome outcome;
        Task<WorkflowOutcome>? body = null;
        try
        {
            body = run.RunServicesThenTasksAsync();
            racers.Add(body);
            Task winner = await Task.WhenAny(racers);
            if (winner == body)
            {
                outcome = await body;
            }
            else if (winner == globalTimeout)
            {
                outcome = new WorkflowOutcome(WorkflowState.TIMEOUT, $"global timeout of {globalSeconds} s passed");
            }
            else
            {
                string? reason = (await cancel)?.Reason;
                outcome = new WorkflowOutcome(
                    WorkflowState.CANCELLED,
                    string.IsNullOrWhiteSpace(reason) ? "cancelled" : $"cancelled: {reason}");
            }
        }
        finally
        {
            // A body that lost the race stops at its next step: it schedules nothing more and changes nothing.
            run.Stop();
            timerCts.Cancel();
            cancelCts.Cancel();
            bool startsOut = run.StartInFlight;
            await run.CleanupAsync();
            if (body is not null && run.CleansAgain(startsOut))
            {
                // The body lost the race while a call that creates a container was out (StartInFlight): its container may
                // appear after the cleanup looked. Wait for the body to stop (it does once that call returns), then clean up again.
                await Task.WhenAny(body);
                await run.CleanupAsync();
            }
        }

        return run.Finish(outcome);
    }
}
