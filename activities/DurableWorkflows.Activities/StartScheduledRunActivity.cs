using DurableWorkflows.Core.Contracts;
using DurableWorkflows.GoTemplates;
using Microsoft.DurableTask;

namespace DurableWorkflows.Activities;

/// <summary>
/// Starts the workflow of one schedule occurrence under its deterministic id, through the one start path
/// (<see cref="IWorkflowStarter"/>): the template is rendered with the run's workflow id and validated like any other start; an instance that already exists under that id (this activity ran
/// before, or the occurrence was started otherwise) counts as started and is never replaced.
/// </summary>
public sealed class StartScheduledRunActivity(IWorkflowStarter starter)
    : TaskActivity<StartScheduledRunInput, ScheduledRunStarted>
{
    /// <summary>How many template errors the schedule's status keeps for a run that could not start.</summary>
    public const int ErrorLimit = 5;

    public override async Task<ScheduledRunStarted> RunAsync(TaskActivityContext context, StartScheduledRunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        WorkflowStartResult result = await starter.StartAsync(new WorkflowStartRequest(
            input.RunId, input.Template, input.Vars, input.Hardware is null ? null : HardwareSource.Inline(input.Hardware)));
        return result.Outcome switch
        {
            WorkflowStartOutcome.Started => new ScheduledRunStarted(Started: true, AlreadyExisted: false),
            WorkflowStartOutcome.AlreadyExists => new ScheduledRunStarted(Started: true, AlreadyExisted: true),
            WorkflowStartOutcome.InvalidHardware => NotStarted("invalid hardware record", result.Errors),
            _ => NotStarted("invalid template", result.Errors),
        };
    }

    private static ScheduledRunStarted NotStarted(string what, IReadOnlyList<TemplateError> errors)
    {
        var listed = errors.Take(ErrorLimit).Select(e => e.ToString());
        var more = errors.Count > ErrorLimit ? $"; and {errors.Count - ErrorLimit} more" : "";
        return new ScheduledRunStarted(Started: false, AlreadyExisted: false, $"{what}: " + string.Join("; ", listed) + more);
    }
}
