using System.CommandLine;
using DurableWorkflows.Cli.Common;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.Server.Workflows;

namespace DurableWorkflows.Cli.Commands;

/// <summary><c>dwf validate FILE [--var K=V]... [--vars-file F] [--hardware FILE] [--print]</c>: render, parse and validate a
/// template. Exit 0 valid, 1 invalid (each error on stderr as <c>FILE:LINE:COL: message</c>), 2 usage.</summary>
public static class ValidateCommand
{
    /// <summary>The workflow id the template sees as <c>workflowid</c> while it is only validated.</summary>
    public const string PlaceholderWorkflowId = "validate";

    public static Command Create()
    {
        var template = new TemplateOptions();
        var print = new Option<bool>("--print")
        {
            Description = "Write the rendered, normalised template (YAML) to stdout.",
        };
        var command = new Command("validate", "Render, parse and validate a workflow template; report every error.");
        template.AddTo(command);
        command.Add(print);
        command.SetAction(parse =>
        {
            var (path, text) = template.ReadTemplate(parse);
            var data = template.ReadData(parse, PlaceholderWorkflowId);
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            // The start's own preparation (Tinkerbell's Template and Workflow objects included), without a start.
            WorkflowStartResult result = WorkflowStarter.Prepare(PlaceholderWorkflowId, text, data.Variables, data.Hardware, WorkflowSettings.Default.MaxWait);
            foreach (var e in result.Errors)
            {
                error.WriteLine(e.Format(path));
            }

            if (result.Input is not { Definition: var definition })
            {
                error.WriteLine(result.Message is { } message
                    ? $"{path}: {message}"
                    : $"{path}: {result.Errors.Count} error{(result.Errors.Count == 1 ? "" : "s")}");
                return ExitCodes.Failed;
            }

            if (parse.GetValue(print))
            {
                output.Write(WorkflowYaml.Write(definition));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
