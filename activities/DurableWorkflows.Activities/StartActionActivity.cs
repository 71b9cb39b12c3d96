using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;

namespace DurableWorkflows.Activities;

/// <summary>Creates and starts the container of one attempt of an action, or finds the one already there.</summary>
public sealed class StartActionActivity : TaskActivity<StartActionInput, ActionStarted>
{
    private readonly IActionRunner _runner;

    public StartActionActivity(IActionRunner runner) => _runner = runner;

    public override Task<ActionStarted> RunAsync(TaskActivityContext context, StartActionInput input) => _runner.StartActionAsync(input);
}
