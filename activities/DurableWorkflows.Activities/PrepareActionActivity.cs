using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;

namespace DurableWorkflows.Activities;

/// <summary>Creates the container of an action's attempt without starting it, so its start later is one call.</summary>
public sealed class PrepareActionActivity : TaskActivity<StartActionInput, ActionPrepared>
{
    private readonly IActionRunner _runner;

    public PrepareActionActivity(IActionRunner runner) => _runner = runner;

    public override Task<ActionPrepared> RunAsync(TaskActivityContext context, StartActionInput input) => _runner.PrepareActionAsync(input);
}
