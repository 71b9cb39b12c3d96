using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;

namespace DurableWorkflows.Orchestrations;

/// <summary>Registers the orchestrations of this project under their names in <see cref="OrchestrationNames"/>.</summary>
public static class WorkflowOrchestrationsExtensions
{
    public static DurableTaskRegistry AddWorkflowOrchestrations(this DurableTaskRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry
            .AddOrchestrator<WorkflowOrchestrator>(OrchestrationNames.Workflow)
            .AddOrchestrator<ScheduleOrchestrator>(OrchestrationNames.Schedule)
            .AddOrchestrator<HardwareRecordOrchestrator>(OrchestrationNames.HardwareRecord);
    }

    public static IDurableTaskWorkerBuilder AddWorkflowOrchestrations(this IDurableTaskWorkerBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddTasks(registry => registry.AddWorkflowOrchestrations());
    }
}
