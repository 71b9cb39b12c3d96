using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using Microsoft.DurableTask;
using static DurableWorkflows.Orchestrations.WorkflowRuns.StatusTransitions;

namespace DurableWorkflows.Orchestrations.WorkflowRuns;

/// <summary>
/// The steps of one workflow and its status. Lives for one replay of the orchestration, so it may hold state; it uses
/// only the context's time, timers and activities (<see cref="WorkflowActivities"/>), and changes its status only
/// through <see cref="StatusTransitions"/>. After <see cref="Stop"/> (the body lost the race to the global timeout or
/// the cancel event) the body schedules nothing more and changes nothing. Split by concern: this file is the body's
/// order, <c>WorkflowRun.Services.cs</c> the services, <c>WorkflowRun.Actions.cs</c> the actions,
/// <c>WorkflowRun.Cleanup.cs</c> the cleanup and the final status.
/// </summary>
internal sealed partial class WorkflowRun : IDisposable
{
    private readonly TaskOrchestrationContext context;
    private readonly WorkflowInput workflowInput;
    private readonly WorkflowDefinition definition;
    private readonly WorkflowSettings settings;
    private readonly WorkflowActivities activities;
    private readonly IReadOnlyList<string> workers;
    private readonly CancellationTokenSource stopping = new();
    private readonly WorkflowTelemetry telemetry;
    private WorkflowStatus? published;
    private bool stopped;
    private int startsInFlight;

    public WorkflowRun(TaskOrchestrationContext context, WorkflowInput input)
    {
        this.context = context;
        workflowInput = input;
        definition = input.Definition;
        settings = input.Settings ?? WorkflowSettings.Default;
        activities = new WorkflowActivities(context, settings);
        WorkflowId = input.WorkflowId;
        // The workers whose containers the run inspects and removes: those on Docker endpoints (agents keep their own).
        workers = [.. definition.Services.Select(s => s.Worker).Concat(definition.Tasks.Select(t => t.Worker)).Distinct(StringComparer.Ordinal)
            .Where(w => settings.AgentOf(w) is null)];
        order = [.. definition.Tasks.SelectMany(t => t.Actions.Select(a => (t, a)))];
        Status = WorkflowStatus.Pending(WorkflowId, definition, Now);
        telemetry = new WorkflowTelemetry(input);
    }

    public string WorkflowId { get; }

    public WorkflowStatus Status { get; private set; }

    /// <summary>
    /// True while a StartService, StartAction or PrepareAction call is out, or a WaitAction that may start the next action
    /// (revision 4): its container may appear after a cleanup looked.
    /// </summary>
    public bool StartInFlight => startsInFlight > 0;

    /// <summary>
    /// After the first cleanup: whether the run must clean up again once its body has stopped, given whether a start
    /// was out as that cleanup began (<see cref="WorkflowSettings.CleansAgainForStartsAtCleanupStart"/>).
    /// </summary>
    public bool CleansAgain(bool startsOutAtCleanupStart) =>
        settings.CleansAgainForStartsAtCleanupStart ? startsOutAtCleanupStart : StartInFlight;

    private DateTimeOffset Now => new(DateTime.SpecifyKind(context.CurrentUtcDateTime, DateTimeKind.Utc));

    /// <summary>Publishes the status, compacted, as the orchestration's custom status; what changed since the last is measured (not on replay).</summary>
    public void Publish()
    {
        context.SetCustomStatus(Status.Compact());
        telemetry.Observe(published, Status, context.IsReplaying);
        published = Status;
    }

    /// <summary>Stops the body: from now on it schedules nothing and changes nothing; what it waits on (an agent's report and its timer) is let go.</summary>
    public void Stop()
    {
        stopped = true;
        stopping.Cancel();
    }

    public void Dispose() => stopping.Dispose();

    /// <summary>The body: every service ready, then every task's actions in order.</summary>
    public async Task<WorkflowOutcome> RunServicesThenTasksAsync()
    {
        try
        {
            return await RunBodyAsync();
        }
        finally
        {
            // A container still being prepared must exist before the cleanup looks for the workflow's containers.
            await preparing;
        }
    }

    private async Task<WorkflowOutcome> RunBodyAsync()
    {
        PrepareFrom(0);
        WorkflowOutcome? failure = await StartServicesAsync();
        if (failure is not null)
        {
            return failure;
        }

        Update(s => Running(s, Now));
        foreach (TaskDefinition task in definition.Tasks)
        {
            Update(s => TaskStarted(s, task.Name));
            foreach (ActionDefinition action in task.Actions)
            {
                position++;
                Task inspecting = Task.CompletedTask;
                if (definition.Services.Count > 0 && (position + 1 < order.Count || settings.InspectsServicesAlongsideLastAction))
                {
                    inspecting = InspectServicesAsync();
                    if (!settings.InspectsServicesAlongside)
                    {
                        await inspecting;
                    }
                }

                if (!settings.ChainsNextAction)
                {
                    // Chaining runs do not wait here: their next action is started by the wait before it, which finds
                    // its container or creates it.
                    await preparing;
                }

                ActionStatus result = await RunActionAsync(task, action);
                await inspecting;
                if (result.State != ActionState.SUCCESS)
                {
                    Update(s => TaskEnded(s, task.Name, result.State));
                    return ActionOutcome(task.Name, action.Name, result);
                }
            }

            Update(s => TaskEnded(s, task.Name, ActionState.SUCCESS));
        }

        return new WorkflowOutcome(WorkflowState.SUCCESS, null);
    }

    /// <summary>Changes the status and publishes it; after <see cref="Stop"/> it unwinds the body instead.</summary>
    private void Update(Func<WorkflowStatus, WorkflowStatus> change)
    {
        ThrowIfStopped();
        Status = change(Status);
        Publish();
    }

    private void ThrowIfStopped()
    {
        if (stopped)
        {
            throw new OperationCanceledException("The workflow has ended.");
        }
    }

    /// <summary>Calls an activity that creates a container, counted in <see cref="StartInFlight"/> until it returns.</summary>
    private async Task<T> CountedStartAsync<T>(Func<Task<T>> call)
    {
        startsInFlight++;
        try
        {
            return await call();
        }
        finally
        {
            startsInFlight--;
        }
    }
}
