using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;

namespace DurableWorkflows.Activities;

/// <summary>
/// Waits one bounded chunk for an action's container: running, exited with its code, or killed at its deadline. One that
/// carries the next action's start (settings revision 4) is a start too: delivered after its workflow ended, it only waits.
/// </summary>
public sealed class WaitActionActivity : TaskActivity<WaitActionInput, ActionWaitResult>
{
    private readonly IActionRunner _runner;
    private readonly IWorkflowLiveness? _liveness;

    public WaitActionActivity(IActionRunner runner, IWorkflowLiveness? liveness = null)
    {
        _runner = runner;
        _liveness = liveness;
    }

    public override async Task<ActionWaitResult> RunAsync(TaskActivityContext context, WaitActionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Then is not null && await LateDelivery.HasEndedAsync(_liveness, input.WorkflowId))
        {
            input = input with { Then = null, ThenPrepare = null, RemoveEnded = null };
        }

        return await _runner.WaitActionAsync(input);
    }
}
