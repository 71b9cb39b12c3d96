using DurableWorkflows.EndToEnd.Tests.Infrastructure;

namespace DurableWorkflows.EndToEnd.Tests;

/// <summary>The manager's reads over the real client and sidecar.</summary>
public sealed class WorkflowManagerTests(WorkflowHostFixture host) : IClassFixture<WorkflowHostFixture>
{
    /// <summary>
    /// A status read whose token is cancelled ends as a cancellation (the client's channel is told to), which a bounded
    /// wait answers with the status as it is; it was a gRPC Cancelled error, a 500 when the bound passed mid-read.
    /// </summary>
    [Fact(Timeout = 60_000)]
    public async Task GetAsync_TokenCancelled_ThrowsOperationCanceled()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        OperationCanceledException e = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => host.Manager.GetAsync("any-workflow", cancelled.Token));

        Assert.Equal(cancelled.Token, e.CancellationToken);
    }
}
