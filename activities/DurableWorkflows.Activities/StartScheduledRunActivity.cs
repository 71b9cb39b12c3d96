using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Hardware;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Activities;

/// <summary>
/// Starts the workflow of one schedule occurrence under its deterministic id. The template is rendered with the run's
/// workflow id and validated like any other start; an instance that already exists under that id (this activity ran
/// before, or the occurrence was started otherwise) counts as started and is never replaced.
/// </summary>
public sealed class StartScheduledRunActivity(DurableTaskClient client, IOptions<DockerOptions>? dockerOptions = null)
    : TaskActivity<StartScheduledRunInput, ScheduledRunStarted>
{
    /// <summary>How many template errors the schedule's status keeps for a run that could not start.</summary>
    public const int ErrorLimit = 5;


    public override async Task<ScheduledRunStarted> RunAsync(TaskActivityContext context, StartScheduledRunInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (await client.GetInstanceAsync(input.RunId, getInputsAndOutputs: false) is not null)
        {
            return new ScheduledRunStarted(Started: true, AlreadyExisted: true);
        }

        HardwareRecord? hardware = null;
        if (input.Hardware is not null)
        {
            var parsed = HardwareRecord.Parse(input.Hardware);
            if (!parsed.Succeeded)
            {
                return NotStarted("invalid hardware record", parsed.Errors);
            }

            hardware = parsed.Record;
        }

        var loaded = WorkflowTemplate.Load(input.Template, new TemplateData(input.Vars, input.RunId) { Hardware = hardware });
        if (!loaded.IsValid)
        {
            return NotStarted("invalid template", loaded.Errors);
        }

        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                OrchestrationNames.Workflow,
                new WorkflowInput(input.RunId, loaded.Definition!, WorkflowSettings.ForNewRun(dockerOptions?.Value.MaxWait ?? WorkflowSettings.Default.MaxWait, loaded.Definition!, hardware)),
                new StartOrchestrationOptions(input.RunId).WithDedupeStatuses([.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses]));
            return new ScheduledRunStarted(Started: true, AlreadyExisted: false);
        }
        catch (global::DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException)
        {
            return new ScheduledRunStarted(Started: true, AlreadyExisted: true);
        }
    }

    private static ScheduledRunStarted NotStarted(string what, IReadOnlyList<TemplateError> errors)
    {
        var listed = errors.Take(ErrorLimit).Select(e => e.ToString());
        var more = errors.Count > ErrorLimit ? $"; and {errors.Count - ErrorLimit} more" : "";
        return new ScheduledRunStarted(Started: false, AlreadyExisted: false, $"{what}: " + string.Join("; ", listed) + more);
    }
}
