using System.CommandLine;
using DurableWorkflows.Cli.Common;

namespace DurableWorkflows.Cli.Commands;

/// <summary><c>dwf terminate ID [--reason R] [--server URL]</c>: end a workflow at once; the server's reaper removes its containers.</summary>
public static class TerminateCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The workflow id." };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded as the workflow's output).", HelpName = "R" };
        var command = new Command("terminate", "Terminate a workflow at once; the reaper removes its containers.") { id, reason };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using ServerClient client = ServerClient.From(parse);
            string workflow = parse.GetValue(id)!;
            await client.SendAsync(HttpMethod.Post, $"/api/workflows/{Uri.EscapeDataString(workflow)}/terminate", new { reason = parse.GetValue(reason) }, cancellationToken);
            await parse.InvocationConfiguration.Error.WriteLineAsync($"terminated {workflow}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
