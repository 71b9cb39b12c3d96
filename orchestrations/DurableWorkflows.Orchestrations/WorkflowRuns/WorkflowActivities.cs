using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;

namespace DurableWorkflows.Orchestrations.WorkflowRuns;

/// <summary>
/// The workflow's activities, one typed method each, with the retry options each is called with: container steps are
/// idempotent, so one that failed because its Docker engine could not be reached is tried again a few times (durable
/// timers between, doubling) when the run's revision does so; the cleanup is retried on any failure.
/// </summary>
internal sealed class WorkflowActivities(TaskOrchestrationContext context, WorkflowSettings settings)
{
    private readonly TaskOptions? whileEngineUnreachable = WhileEngineUnreachable(settings);

    public Task<ServiceStarted> StartServiceAsync(StartServiceInput input) =>
        context.CallActivityAsync<ServiceStarted>(ActivityNames.StartService, input, whileEngineUnreachable);

    public Task<ServiceReadiness> AwaitServiceHealthyAsync(AwaitServiceHealthyInput input) =>
        context.CallActivityAsync<ServiceReadiness>(ActivityNames.AwaitServiceHealthy, input, whileEngineUnreachable);

    public Task<IReadOnlyList<ServiceObservation>> InspectServicesAsync(InspectServicesInput input) =>
        context.CallActivityAsync<IReadOnlyList<ServiceObservation>>(ActivityNames.InspectServices, input, whileEngineUnreachable);

    public Task<ActionStarted> StartActionAsync(StartActionInput input) =>
        context.CallActivityAsync<ActionStarted>(ActivityNames.StartAction, input, whileEngineUnreachable);

    /// <summary>Best effort, never retried: the action's start meets the same problem and reports it.</summary>
    public Task<ActionPrepared> PrepareActionAsync(StartActionInput input) =>
        context.CallActivityAsync<ActionPrepared>(ActivityNames.PrepareAction, input);

    public Task<ActionWaitResult> WaitActionAsync(WaitActionInput input) =>
        context.CallActivityAsync<ActionWaitResult>(ActivityNames.WaitAction, input, whileEngineUnreachable);

    public Task<CleanupResult> CleanupWorkflowAsync(CleanupWorkflowInput input) =>
        context.CallActivityAsync<CleanupResult>(
            ActivityNames.CleanupWorkflow,
            input,
            TaskOptions.FromRetryPolicy(new RetryPolicy(
                maxNumberOfAttempts: Math.Max(1, settings.CleanupAttempts),
                firstRetryInterval: settings.CleanupRetryInterval,
                backoffCoefficient: 2.0,
                maxRetryInterval: settings.MaxRetryBackoff)));

    private static TaskOptions? WhileEngineUnreachable(WorkflowSettings settings)
    {
        if (!settings.RetriesUnreachableEngine)
        {
            return null;
        }

        TimeSpan first = settings.EngineUnreachableRetryInterval > TimeSpan.Zero ? settings.EngineUnreachableRetryInterval : TimeSpan.FromSeconds(1);
        return TaskOptions.FromRetryPolicy(new RetryPolicy(
            maxNumberOfAttempts: Math.Max(1, settings.EngineUnreachableAttempts),
            firstRetryInterval: first,
            backoffCoefficient: 2.0,
            maxRetryInterval: settings.MaxRetryBackoff > first ? settings.MaxRetryBackoff : first)
        {
            HandleFailure = IsEngineUnreachable,
        });
    }

    private static bool IsEngineUnreachable(TaskFailureDetails? failure) =>
        failure is not null && (failure.ErrorType == ErrorTypes.DockerUnreachable || IsEngineUnreachable(failure.InnerFailure));
}
