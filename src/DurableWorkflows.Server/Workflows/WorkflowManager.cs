using DurableWorkflows.Core.Contracts;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DurableWorkflows.Server.Workflows;

/// <summary>What happened to a request on one workflow.</summary>
public enum WorkflowRequestResult
{
    Accepted,
    NotFound,
    AlreadyFinished,
    StillRunning,
}

/// <summary>Which workflows a list shows: <see cref="States"/> (empty: all), a <see cref="Name"/> they contain (any case), created within a range.</summary>
public sealed record WorkflowFilter(
    IReadOnlyCollection<WorkflowState> States,
    string? Name = null,
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null)
{
    public bool Matches(WorkflowStatus status) =>
        (States.Count == 0 || States.Contains(status.State))
        && (string.IsNullOrEmpty(Name) || status.Name.Contains(Name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>A page of workflows and the token of the next one (null on the last).</summary>
public sealed record WorkflowPage(IReadOnlyList<WorkflowSnapshot> Workflows, string? ContinuationToken);

/// <summary>Reads and controls workflows through the Durable Task client; the API and <c>dwf run</c> both use it (they start them with <see cref="IWorkflowStarter"/>).</summary>
public sealed class WorkflowManager(DurableTaskClient client, Microsoft.Extensions.Options.IOptions<DurableWorkflowsOptions>? options = null)
{
    // The memory backend says at once when an instance ends; Azure Storage's wait for it is a 2 s poll of its own that
    // fails at once when it is given no timeout, so on it a wait polls the status itself.
    private readonly bool _backendAnnouncesEnd = (options?.Value.Backend ?? BackendNames.Memory) == BackendNames.Memory;

    /// <summary>A new workflow id: a UUID, as Tinkerbell uses.</summary>
    public static string NewWorkflowId() => Guid.NewGuid().ToString("D");

    /// <summary>The workflow's snapshot, or null when no workflow has that id.</summary>
    public async Task<WorkflowSnapshot?> GetAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(workflowId, getInputsAndOutputs: true, cancellationToken);
        return metadata is null || metadata.Name != OrchestrationNames.Workflow ? null : WorkflowSnapshot.From(metadata);
    }

    /// <summary>While a wait goes on, the status is read this often (on the memory backend too, in case its notice is missed).</summary>
    public static TimeSpan WaitPoll { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The workflow's snapshot once it has finished, or when <paramref name="bound"/> has passed (then as it is), or null
    /// when no workflow has that id. The memory backend says when the orchestration ends; the status is also read every
    /// <see cref="WaitPoll"/>, on the other backends and in case that notice is missed.
    /// </summary>
    public async Task<WorkflowSnapshot?> WaitAsync(string workflowId, TimeSpan bound, CancellationToken cancellationToken = default)
    {
        WorkflowSnapshot? snapshot = await GetAsync(workflowId, cancellationToken);
        return snapshot is null ? null : await WaitAsync(snapshot, bound, cancellationToken);
    }

    /// <summary>The same wait from a snapshot just read (a follower's last one), without reading it again first.</summary>
    public async Task<WorkflowSnapshot?> WaitAsync(WorkflowSnapshot current, TimeSpan bound, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (current.IsFinished || bound <= TimeSpan.Zero)
        {
            return current;
        }

        string workflowId = current.Status.Id;
        WorkflowSnapshot? snapshot;
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        waiting.CancelAfter(bound);
        Task ended = _backendAnnouncesEnd
            ? client.WaitForInstanceCompletionAsync(workflowId, getInputsAndOutputs: false, waiting.Token)
            : Task.Delay(Timeout.Infinite, waiting.Token);
        try
        {
            while (true)
            {
                Task polled = Task.Delay(WaitPoll, waiting.Token);
                await Task.WhenAny(ended, polled);
                waiting.Token.ThrowIfCancellationRequested();
                snapshot = await GetAsync(workflowId, waiting.Token);
                if (snapshot is null || snapshot.IsFinished)
                {
                    return snapshot;
                }

                if (ended.IsCompleted)
                {
                    // Ended (or its wait failed) without a final status: the poll goes on alone.
                    ended = Task.Delay(Timeout.Infinite, waiting.Token);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return await GetAsync(workflowId, cancellationToken);
        }
        finally
        {
            waiting.Cancel();
            // The wait that lost is let go; what it ends with (cancelled, or an error of its own) is not this call's.
            _ = ended.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }
    }

    /// <summary>Raises the cancel event: the workflow stops its action and cleans up itself.</summary>
    public async Task<WorkflowRequestResult> CancelAsync(string workflowId, string? reason, CancellationToken cancellationToken = default)
    {
        WorkflowRequestResult state = await ActiveStateAsync(workflowId, cancellationToken);
        if (state == WorkflowRequestResult.Accepted)
        {
            await client.RaiseEventAsync(workflowId, EventNames.Cancel, new CancelRequest(reason), cancellationToken);
        }

        return state;
    }

    /// <summary>Ends the orchestration at once; its containers are left to the reaper.</summary>
    public async Task<WorkflowRequestResult> TerminateAsync(string workflowId, string? reason, CancellationToken cancellationToken = default)
    {
        WorkflowRequestResult state = await ActiveStateAsync(workflowId, cancellationToken);
        if (state == WorkflowRequestResult.Accepted)
        {
            await client.TerminateInstanceAsync(workflowId, new TerminateInstanceOptions { Output = reason ?? "terminated by request" }, cancellationToken);
        }

        return state;
    }

    /// <summary>Deletes a finished workflow's history.</summary>
    public async Task<WorkflowRequestResult> PurgeAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        WorkflowRequestResult state = await ActiveStateAsync(workflowId, cancellationToken);
        switch (state)
        {
            case WorkflowRequestResult.NotFound:
                return state;
            case WorkflowRequestResult.Accepted:
                return WorkflowRequestResult.StillRunning;
            default:
                PurgeResult result = await client.PurgeInstanceAsync(workflowId, cancellation: cancellationToken);
                return result.PurgedInstanceCount > 0 ? WorkflowRequestResult.Accepted : WorkflowRequestResult.NotFound;
        }
    }

    /// <summary>One page of workflows as the backend returns them, those of <paramref name="filter"/> (a page may hold fewer than <paramref name="top"/>; the token goes on).</summary>
    public async Task<WorkflowPage> ListAsync(
        WorkflowFilter filter,
        int top,
        string? continuationToken,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = new OrchestrationQuery
        {
            Statuses = filter.States.Count == 0 ? null : [.. filter.States.SelectMany(RuntimeStatusesOf).Distinct()],
            CreatedFrom = filter.CreatedFrom?.UtcDateTime,
            CreatedTo = filter.CreatedTo?.UtcDateTime,
            PageSize = top,
            ContinuationToken = continuationToken,
            FetchInputsAndOutputs = true,
        };
        await foreach (Page<OrchestrationMetadata> page in client.GetAllInstancesAsync(query).AsPages(continuationToken, top).WithCancellation(cancellationToken))
        {
            List<WorkflowSnapshot> workflows = [.. page.Values
                .Where(m => m.Name == OrchestrationNames.Workflow)
                .Select(WorkflowSnapshot.From)
                .Where(s => filter.Matches(s.Status))];
            return new WorkflowPage(workflows, string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken);
        }

        return new WorkflowPage([], null);
    }

    private async Task<WorkflowRequestResult> ActiveStateAsync(string workflowId, CancellationToken cancellationToken)
    {
        OrchestrationMetadata? metadata = await client.GetInstanceAsync(workflowId, getInputsAndOutputs: false, cancellationToken);
        if (metadata is null || metadata.Name != OrchestrationNames.Workflow)
        {
            return WorkflowRequestResult.NotFound;
        }

        return metadata.RuntimeStatus is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated
            ? WorkflowRequestResult.AlreadyFinished
            : WorkflowRequestResult.Accepted;
    }

    private static IEnumerable<OrchestrationRuntimeStatus> RuntimeStatusesOf(WorkflowState state) => state switch
    {
        WorkflowState.PENDING => [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running],
        WorkflowState.RUNNING => [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended],
        WorkflowState.SUCCESS or WorkflowState.TIMEOUT => [OrchestrationRuntimeStatus.Completed],
        WorkflowState.FAILED => [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed],
        WorkflowState.CANCELLED => [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Terminated],
        _ => [],
    };
}
