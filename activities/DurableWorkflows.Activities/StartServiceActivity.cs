using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;

namespace DurableWorkflows.Activities;

/// <summary>Creates and starts a service's container, or finds the one already there.</summary>
public sealed class StartServiceActivity : TaskActivity<StartServiceInput, ServiceStarted>
{
    private readonly ContainerEngine _engine;

    public StartServiceActivity(ContainerEngine engine) => _engine = engine;

    public override Task<ServiceStarted> RunAsync(TaskActivityContext context, StartServiceInput input) => _engine.StartServiceAsync(input);
}
