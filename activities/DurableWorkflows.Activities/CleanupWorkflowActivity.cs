using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;

namespace DurableWorkflows.Activities;

/// <summary>Stops and removes every container of a workflow, saving their logs. Idempotent.</summary>
public sealed class CleanupWorkflowActivity : TaskActivity<CleanupWorkflowInput, CleanupResult>
{
    private readonly ContainerEngine _engine;

    public CleanupWorkflowActivity(ContainerEngine engine) => _engine = engine;

    public override Task<CleanupResult> RunAsync(TaskActivityContext context, CleanupWorkflowInput input) => _engine.CleanupWorkflowAsync(input);
}
