namespace DurableWorkflows.Containers;

/// <summary>
/// The container starts of each workflow under way in this process (its services' create and start). The first
/// action's container, created ahead of time while they start, waits for them: Docker's create of one container slows
/// its create and start of the others, and the services' start is what the whole workflow waits for. (An action's own
/// start is not counted: work ahead must not wait behind it.) Only an order of work in one process: nothing durable
/// depends on it, and a wait for it is bounded.
/// </summary>
internal sealed class StartsInFlight
{
    private readonly Dictionary<string, (int Count, TaskCompletionSource Idle)> _byWorkflow = new(StringComparer.Ordinal);

    /// <summary>Counts a start of the workflow as under way until the returned scope is disposed.</summary>
    public Scope Enter(string workflowId)
    {
        lock (_byWorkflow)
        {
            var (count, idle) = _byWorkflow.TryGetValue(workflowId, out var entry)
                ? entry
                : (0, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            _byWorkflow[workflowId] = (count + 1, idle);
        }

        return new Scope(this, workflowId);
    }

    /// <summary>Returns when no start of the workflow is under way, or after <paramref name="bound"/>.</summary>
    public async Task WhenNoneAsync(string workflowId, TimeSpan bound, CancellationToken cancellationToken)
    {
        Task idle;
        lock (_byWorkflow)
        {
            if (!_byWorkflow.TryGetValue(workflowId, out var entry))
            {
                return;
            }

            idle = entry.Idle.Task;
        }

        try
        {
            await idle.WaitAsync(bound, cancellationToken);
        }
        catch (TimeoutException)
        {
            // A start that takes this long is Docker's problem, not one the work ahead should wait out.
        }
    }

    private void Leave(string workflowId)
    {
        TaskCompletionSource? idle = null;
        lock (_byWorkflow)
        {
            var (count, tcs) = _byWorkflow[workflowId];
            if (count == 1)
            {
                _byWorkflow.Remove(workflowId);
                idle = tcs;
            }
            else
            {
                _byWorkflow[workflowId] = (count - 1, tcs);
            }
        }

        idle?.TrySetResult();
    }

    /// <summary>One start under way; disposing it ends it (once).</summary>
    public sealed class Scope(StartsInFlight owner, string workflowId) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Leave(workflowId);
            }
        }
    }
}
