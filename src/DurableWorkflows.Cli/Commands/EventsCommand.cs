using System.CommandLine;
using System.Text.Json;
using DurableWorkflows.Cli.Common;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Cli.Commands;

/// <summary><c>dwf events ID [--json] [--server URL]</c>: a workflow's domain events in order.</summary>
public static class EventsCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The workflow id." };
        var json = new Option<bool>("--json") { Description = "Print the events as JSON." };
        var command = new Command("events", "Print a workflow's events.") { id, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using ServerClient client = ServerClient.From(parse);
            var (_, body) = await client.SendAsync(HttpMethod.Get, $"/api/workflows/{Uri.EscapeDataString(parse.GetValue(id)!)}/events", null, cancellationToken);
            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(body?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }

            foreach (WorkflowEvent e in body.Deserialize<WorkflowEvent[]>(ServerClient.Json) ?? [])
            {
                await output.WriteLineAsync(WorkflowEvents.Format(e));
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
