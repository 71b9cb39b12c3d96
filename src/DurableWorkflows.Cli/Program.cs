using System.CommandLine;
using System.CommandLine.Invocation;
using DurableWorkflows.Cli.Commands;
using DurableWorkflows.Cli.Common;

namespace DurableWorkflows.Cli;

/// <summary>The <c>dwf</c> executable: one file per command under Commands/, each adding itself here.</summary>
public static class Program
{
    // Commands handle Ctrl-C themselves (run cancels the workflow gracefully, serve stops the server).
    public static Task<int> Main(string[] args)
    {
        ServerGcBudget.Apply(args);
        return RunAsync(args, new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    /// <summary>Builds the command tree. To add a command: write Commands/XCommand.cs with a
    /// <c>static Command Create()</c> and add it to this list.</summary>
    public static RootCommand BuildRootCommand()
    {
        RootCommand root =
        [
            ValidateCommand.Create(),
            RunCommand.Create(),
            ServeCommand.Create(),
            SidecarCommand.Create(),
            ScheduleCommand.Create(),
            .. WorkflowCommand.Verbs(),
            WorkflowCommand.Create(),
            HardwareCommand.Create(),
            TemplateCommand.Create(),
            AgentCommand.Create(),
        ];
        ServerClient.AddOptions(root);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>, writing to the configuration's Output and Error.
    /// Parse errors and <see cref="UsageException"/> exit with <see cref="ExitCodes.Usage"/>.</summary>
    public static async Task<int> RunAsync(string[] args, InvocationConfiguration configuration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.EnableDefaultExceptionHandler = false;
        RootCommand root = BuildRootCommand();
        root.Description = "DurableWorkflows: durable Tinkerbell workflows with workflow services.";
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
        {
            foreach (var error in parse.Errors)
            {
                await configuration.Error.WriteLineAsync($"dwf: {error.Message}");
            }

            await configuration.Error.WriteLineAsync("Run 'dwf --help' for usage.");
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (UsageException e)
        {
            await configuration.Error.WriteLineAsync($"dwf: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (ServerException e)
        {
            await configuration.Error.WriteLineAsync($"dwf: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await configuration.Error.WriteLineAsync("dwf: cancelled");
            return ExitCodes.Cancelled;
        }
        catch (Exception e)
        {
            await configuration.Error.WriteLineAsync($"dwf: unexpected error: {e}");
            return ExitCodes.Failed;
        }
    }
}
