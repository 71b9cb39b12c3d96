using DurableWorkflows.Core.Contracts;

namespace Microsoft.DurableTask;

public static class ActivityRegistration
{
    /// <summary>
    /// Registers every activity of the workflows under its <see cref="ActivityNames"/> name. The activities need the
    /// container engine: call <c>services.AddWorkflowContainers()</c> too.
    /// </summary>
    public static DurableTaskRegistry AddWorkflowActivities(this DurableTaskRegistry registry)
    {
        registry.AddActivity<DurableWorkflows.Activities.StartServiceActivity>(ActivityNames.StartService);
        registry.AddActivity<DurableWorkflows.Activities.AwaitServiceHealthyActivity>(ActivityNames.AwaitServiceHealthy);
        registry.AddActivity<DurableWorkflows.Activities.InspectServicesActivity>(ActivityNames.InspectServices);
        registry.AddActivity<DurableWorkflows.Activities.StartActionActivity>(ActivityNames.StartAction);
        registry.AddActivity<DurableWorkflows.Activities.PrepareActionActivity>(ActivityNames.PrepareAction);
        registry.AddActivity<DurableWorkflows.Activities.WaitActionActivity>(ActivityNames.WaitAction);
        registry.AddActivity<DurableWorkflows.Activities.CleanupWorkflowActivity>(ActivityNames.CleanupWorkflow);
        registry.AddActivity<DurableWorkflows.Activities.GetRunStateActivity>(ActivityNames.GetRunState);
        registry.AddActivity<DurableWorkflows.Activities.StartScheduledRunActivity>(ActivityNames.StartScheduledRun);
        return registry;
    }
}
