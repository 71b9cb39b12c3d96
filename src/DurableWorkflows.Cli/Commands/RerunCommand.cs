using System.CommandLine;
using DurableWorkflows.Cli.Common;

namespace DurableWorkflows.Cli.Commands;

/// <summary>
/// <c>dwf rerun ID [--id NEW] [--server URL]</c>: start a new workflow with the same rendered template, variables and
/// hardware as workflow ID (Argo's resubmit); prints the new id. The original's status lists its re-runs.
/// </summary>
public static class RerunCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The workflow to run again." };
        var newId = new Option<string?>("--id") { Description = "The new workflow's id (default: a new UUID).", HelpName = "NEW" };
        var command = new Command("rerun", "Run a workflow again under a new id, with its rendered template, variables and hardware.") { id, newId };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using ServerClient client = ServerClient.From(parse);
            var (_, body) = await client.SendAsync(
                HttpMethod.Post, $"/api/workflows/{Uri.EscapeDataString(parse.GetValue(id)!)}/rerun", new { id = parse.GetValue(newId) }, cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync(body?["id"]?.GetValue<string>());
            return ExitCodes.Ok;
        });
        return command;
    }
}
