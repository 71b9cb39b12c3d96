using System.CommandLine;

namespace DurableWorkflows.Cli.Commands;

/// <summary>
/// <c>dwf workflow start|status|watch|list|cancel|terminate|rerun|logs|events</c>: the workflow verbs as a group, beside
/// <c>schedule</c> and <c>hardware</c>; each is the same command as the top-level verb of that name, which keeps working.
/// </summary>
public static class WorkflowCommand
{
    public static Command Create()
    {
        var workflow = new Command("workflow", "The workflows on a server: start, status, watch, list, cancel, terminate, rerun, logs, events.");
        foreach (Command verb in Verbs())
        {
            workflow.Add(verb);
        }

        return workflow;
    }

    /// <summary>The workflow verbs, new instances each call (a command has one parent): for the group, and for the top level.</summary>
    public static Command[] Verbs() =>
    [
        StartCommand.Create(),
        StatusCommand.Create(),
        WatchCommand.Create(),
        ListCommand.Create(),
        CancelCommand.Create(),
        TerminateCommand.Create(),
        RerunCommand.Create(),
        LogsCommand.Create(),
        EventsCommand.Create(),
    ];
}
