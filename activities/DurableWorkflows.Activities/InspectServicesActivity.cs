using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;

namespace DurableWorkflows.Activities;

/// <summary>The state of every service container of a workflow.</summary>
public sealed class InspectServicesActivity : TaskActivity<InspectServicesInput, IReadOnlyList<ServiceObservation>>
{
    private readonly ContainerEngine _engine;

    public InspectServicesActivity(ContainerEngine engine) => _engine = engine;

    public override Task<IReadOnlyList<ServiceObservation>> RunAsync(TaskActivityContext context, InspectServicesInput input) => _engine.InspectServicesAsync(input);
}
