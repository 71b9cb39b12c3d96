using System.CommandLine;
using System.Text.Json.Nodes;
using DurableWorkflows.Cli.Common;

namespace DurableWorkflows.Cli.Commands;

/// <summary><c>dwf logs ID [--task T --action A | --service S] [--server URL]</c>: the saved container logs of a workflow.</summary>
public static class LogsCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The workflow id." };
        var task = new Option<string?>("--task") { Description = "The task of --action.", HelpName = "T" };
        var action = new Option<string?>("--action") { Description = "Only this action's logs (every attempt and handler).", HelpName = "A" };
        var service = new Option<string?>("--service") { Description = "Only this service's log.", HelpName = "S" };
        var command = new Command("logs", "Print a workflow's saved container logs.") { id, task, action, service };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using ServerClient client = ServerClient.From(parse);
            var query = new List<string>();
            foreach (var (name, option) in new[] { ("task", task), ("action", action), ("service", service) })
            {
                if (parse.GetValue(option) is { } value)
                {
                    query.Add($"{name}={Uri.EscapeDataString(value)}");
                }
            }

            string path = $"/api/workflows/{Uri.EscapeDataString(parse.GetValue(id)!)}/logs{(query.Count == 0 ? "" : "?" + string.Join("&", query))}";
            var (_, body) = await client.SendAsync(HttpMethod.Get, path, null, cancellationToken);
            TextWriter output = parse.InvocationConfiguration.Output;
            foreach (JsonNode? log in body?.AsArray() ?? [])
            {
                await output.WriteLineAsync($"==> {log?["container"]} <==");
                await output.WriteAsync(log?["text"]?.GetValue<string>());
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
