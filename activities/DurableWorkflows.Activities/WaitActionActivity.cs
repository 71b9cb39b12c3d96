using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;

namespace DurableWorkflows.Activities;

/// <summary>Waits one bounded chunk for an action's container: running, exited with its code, or killed at its deadline.</summary>
public sealed class WaitActionActivity : TaskActivity<WaitActionInput, ActionWaitResult>
{
    private readonly IActionRunner _runner;

    public WaitActionActivity(IActionRunner runner) => _runner = runner;

    public override Task<ActionWaitResult> RunAsync(TaskActivityContext context, WaitActionInput input) => _runner.WaitActionAsync(input);
}
