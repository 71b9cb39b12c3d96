using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;

namespace DurableWorkflows.Activities;

/// <summary>Creates and starts the container of one attempt of an action, or finds the one already there.</summary>
public sealed class StartActionActivity : TaskActivity<StartActionInput, ActionStarted>
{
    private readonly IActionRunner _runner;
    private readonly IWorkflowLiveness? _liveness;

    public StartActionActivity(IActionRunner runner, IWorkflowLiveness? liveness = null)
    {
        _runner = runner;
        _liveness = liveness;
    }

    public override async Task<ActionStarted> RunAsync(TaskActivityContext context, StartActionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await LateDelivery.ThrowIfEndedAsync(_liveness, input.WorkflowId);
        return await _runner.StartActionAsync(input);
    }
}
