using System.Globalization;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Cli.Common;

/// <summary>Writes a workflow's progress to a terminal: each new event once, then a summary with what went wrong.</summary>
public sealed class WorkflowProgress(TextWriter writer)
{
    private long _lastSequence;
    private bool _finishedEventWritten;

    /// <summary>Writes the events of <paramref name="status"/> not written yet.</summary>
    public void Update(WorkflowStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        foreach (WorkflowEvent e in WorkflowEvents.After(status, _lastSequence))
        {
            writer.WriteLine(WorkflowEvents.Format(e));
            _lastSequence = e.Sequence;
            _finishedEventWritten |= e.Kind == WorkflowEventKind.WorkflowFinished;
        }
    }

    /// <summary>Writes the final state and, for a failure, the services and actions that caused it with their last log lines.</summary>
    public void Finish(WorkflowStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        Update(status);
        foreach (ServiceStatus service in status.Services.Where(s => s.State == ServiceState.FAILED))
        {
            writer.WriteLine($"service {service.Name} failed{(service.ExitCode is { } code ? $" (exit {code})" : "")}: {service.Reason ?? "not ready"}");
            WriteLog(service.LogTail);
        }

        foreach (WorkflowTaskStatus task in status.Tasks)
        {
            foreach (ActionStatus action in task.Actions.Where(a => a.State is ActionState.FAILED or ActionState.TIMEOUT && (a.LogTail.Count > 0 || a.Handler is not null)))
            {
                writer.WriteLine($"action {task.Name}/{action.Name} {action.State}{(action.ExitCode is { } code ? $" (exit {code})" : "")}"
                    + $"{(action.Attempt > 1 ? $" after {action.Attempt} attempts" : "")}: {action.Message ?? ""}");
                WriteLog(action.LogTail);
                if (action.Handler is { } handler)
                {
                    writer.WriteLine($"  {handler.Kind} {handler.State}{(handler.ExitCode is { } hc ? $" (exit {hc})" : "")}{(handler.Message is null ? "" : $": {handler.Message}")}");
                    WriteLog(handler.LogTail);
                }
            }
        }

        string took = status.CreatedAt is { } created && status.FinishedAt is { } finished
            ? $" in {(finished - created).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s"
            : "";
        writer.WriteLine($"workflow {status.Name} ({status.Id}): {status.State}{took}{(status.Message is null || _finishedEventWritten ? "" : $": {status.Message}")}");
    }

    private void WriteLog(IReadOnlyList<string> lines)
    {
        foreach (string line in lines)
        {
            writer.WriteLine($"  | {line}");
        }
    }
}
