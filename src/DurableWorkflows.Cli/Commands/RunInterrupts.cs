using System.Runtime.InteropServices;

namespace DurableWorkflows.Cli.Commands;

/// <summary>
/// Ctrl-C and SIGTERM during <c>dwf run</c>, from its first moment, so that the process never ends under a container of
/// its own (the services start before the workflow is scheduled): the first signal raises the workflow's cancel event,
/// at once when it is scheduled, else as soon as it is, and the run follows the workflow to its end, cleanup included.
/// A second signal only says so.
/// </summary>
internal sealed class RunInterrupts : IDisposable
{
    private readonly Lock gate = new();
    private readonly TextWriter error;
    private readonly PosixSignalRegistration sigint;
    private readonly PosixSignalRegistration sigterm;
    private Func<string, Task>? cancelWorkflow;
    private string? reason;
    private int signals;

    public RunInterrupts(TextWriter error)
    {
        this.error = error;
        sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>The workflow is scheduled: a signal from now on, or one that came before, cancels it with <paramref name="cancel"/>.</summary>
    public void Scheduled(Func<string, Task> cancel)
    {
        string? pending;
        lock (gate)
        {
            cancelWorkflow = cancel;
            pending = reason;
        }

        if (pending is not null)
        {
            _ = cancel(pending);
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Func<string, Task>? cancel;
        bool first;
        lock (gate)
        {
            first = signals++ == 0;
            reason ??= $"{context.Signal} received";
            cancel = cancelWorkflow;
        }

        if (!first)
        {
            error.WriteLine("still cancelling: waiting for the cleanup to finish");
        }
        else if (cancel is not null)
        {
            error.WriteLine("cancelling: the workflow stops its action and removes its containers...");
            _ = cancel(reason);
        }
        else
        {
            error.WriteLine("cancelling: the workflow is cancelled as soon as it is scheduled, then removes its containers...");
        }
    }

    public void Dispose()
    {
        sigint.Dispose();
        sigterm.Dispose();
    }
}
