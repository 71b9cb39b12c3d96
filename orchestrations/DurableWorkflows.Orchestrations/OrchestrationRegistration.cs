using DurableWorkflows.Core.Contracts;

namespace Microsoft.DurableTask;

public static class OrchestrationRegistration
{
    /// <summary>Registers every orchestration under its <see cref="OrchestrationNames"/> name.</summary>
    public static DurableTaskRegistry AddWorkflowOrchestrations(this DurableTaskRegistry registry)
    {
        registry.AddOrchestrator<DurableWorkflows.Orchestrations.ScheduleOrchestrator>(OrchestrationNames.Schedule);
        return registry;
    }
}
