using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;

namespace DurableWorkflows.Activities;

/// <summary>Waits one bounded chunk for a service to be ready; <c>Pending</c> means call again.</summary>
public sealed class AwaitServiceHealthyActivity : TaskActivity<AwaitServiceHealthyInput, ServiceReadiness>
{
    private readonly ContainerEngine _engine;

    public AwaitServiceHealthyActivity(ContainerEngine engine) => _engine = engine;

    public override Task<ServiceReadiness> RunAsync(TaskActivityContext context, AwaitServiceHealthyInput input) => _engine.AwaitServiceHealthyAsync(input);
}
