using DurableWorkflows.Orchestrations;
using Microsoft.DurableTask;

namespace DurableWorkflows.Server.Hosting;

/// <summary>The orchestrations and activities the worker runs, and the services they need.</summary>
internal static class WorkflowTasks
{
    public static void AddServices(IServiceCollection services) => services.AddWorkflowContainers();

    public static void Register(DurableTaskRegistry registry) => registry.AddWorkflowOrchestrations().AddWorkflowActivities();
}
