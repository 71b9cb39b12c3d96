using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers;

/// <summary>
/// Runs the containers of actions (and their handlers) for the action activities: on a Docker endpoint today
/// (<see cref="ContainerEngine"/>); the seam where an action can be run by something else, such as an agent on the
/// machine being provisioned. Every call is idempotent and returns within a bound.
/// </summary>
public interface IActionRunner
{
    /// <summary>Creates the container of an attempt without starting it, best effort (what stops it is returned, not thrown).</summary>
    Task<ActionPrepared> PrepareActionAsync(StartActionInput input, CancellationToken cancellationToken = default);

    /// <summary>Starts the attempt's container, or finds it; waits up to <see cref="StartActionInput.WaitFor"/> for it to end.</summary>
    Task<ActionStarted> StartActionAsync(StartActionInput input, CancellationToken cancellationToken = default);

    /// <summary>Waits up to the input's bound for the container to end; kills it at its deadline.</summary>
    Task<ActionWaitResult> WaitActionAsync(WaitActionInput input, CancellationToken cancellationToken = default);
}
