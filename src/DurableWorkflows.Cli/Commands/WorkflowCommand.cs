using System.CommandLine;

namespace DurableWorkflows.Cli.Commands;

/// <summary>
/// <c>dwf workflow start|status|watch|list|cancel|terminate|logs|events</c>: the workflow verbs as a group, beside
/// <c>schedule</c> and <c>hardware</c>; each is the same command as the top-level verb of that name, which keeps working.
/// </summary>
public static class WorkflowCommand
{
    public static Command Create() => new("workflow", "The workflows on a server: start, status, watch, list, cancel, terminate, logs, events.")
    {
        StartCommand.Create(),
        StatusCommand.Create(),
        WatchCommand.Create(),
        ListCommand.Create(),
        CancelCommand.Create(),
        TerminateCommand.Create(),
        LogsCommand.Create(),
        EventsCommand.Create(),
    };
}
