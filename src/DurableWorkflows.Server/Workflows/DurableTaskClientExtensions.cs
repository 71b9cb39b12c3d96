using Microsoft.DurableTask.Client;

namespace DurableWorkflows.Server.Workflows;

public static class DurableTaskClientExtensions
{
    /// <summary>
    /// Waits up to <paramref name="grace"/> for an instance to end by itself; when it does not (its worker is busy or
    /// gone), terminates it with <paramref name="reason"/> and waits for that.
    /// </summary>
    public static async Task EndWithinAsync(this DurableTaskClient client, string instanceId, TimeSpan grace, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(grace);
        try
        {
            await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: false, bound.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await client.TerminateInstanceAsync(instanceId, new TerminateInstanceOptions { Output = reason }, cancellationToken);
            await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: false, cancellationToken);
        }
    }
}
