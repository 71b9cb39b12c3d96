using System.CommandLine;
using DurableWorkflows.Cli.Common;

namespace DurableWorkflows.Cli.Commands;

/// <summary><c>dwf cancel ID [--reason R] [--server URL]</c>: cancel a workflow gracefully (it stops its action and cleans up).</summary>
public static class CancelCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The workflow id." };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded in the workflow's status).", HelpName = "R" };
        var command = new Command("cancel", "Cancel a workflow gracefully: its cleanup runs.") { id, reason };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using ServerClient client = ServerClient.From(parse);
            string workflow = parse.GetValue(id)!;
            await client.SendAsync(HttpMethod.Post, $"/api/workflows/{Uri.EscapeDataString(workflow)}/cancel", new { reason = parse.GetValue(reason) }, cancellationToken);
            await parse.InvocationConfiguration.Error.WriteLineAsync($"cancel requested for {workflow}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
