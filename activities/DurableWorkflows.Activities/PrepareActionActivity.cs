using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;

namespace DurableWorkflows.Activities;

/// <summary>Creates the container of an action's attempt without starting it, so its start later is one call.</summary>
public sealed class PrepareActionActivity : TaskActivity<StartActionInput, ActionPrepared>
{
    private readonly IActionRunner _runner;
    private readonly IWorkflowLiveness? _liveness;

    public PrepareActionActivity(IActionRunner runner, IWorkflowLiveness? liveness = null)
    {
        _runner = runner;
        _liveness = liveness;
    }

    public override async Task<ActionPrepared> RunAsync(TaskActivityContext context, StartActionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        await LateDelivery.ThrowIfEndedAsync(_liveness, input.WorkflowId);
        return await _runner.PrepareActionAsync(input);
    }
}
