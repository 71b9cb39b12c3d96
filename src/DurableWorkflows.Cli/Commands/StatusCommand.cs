using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DurableWorkflows.Cli.Common;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Cli.Commands;

/// <summary><c>dwf status ID [--json] [--server URL]</c>: a workflow's state, services and actions.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The workflow id." };
        var json = new Option<bool>("--json") { Description = "Print the status as JSON (the API's body)." };
        var command = new Command("status", "Show a workflow's status.") { id, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using ServerClient client = ServerClient.From(parse);
            var (_, body) = await client.SendAsync(HttpMethod.Get, $"/api/workflows/{Uri.EscapeDataString(parse.GetValue(id)!)}", null, cancellationToken);
            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(body?.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }

            WorkflowStatus status = body.Deserialize<WorkflowStatus>(ServerClient.Json)!;
            await output.WriteLineAsync($"{status.Name} ({status.Id}): {status.State} [{body?["runtimeStatus"]}]{(status.Message is null ? "" : $": {status.Message}")}");
            foreach (ServiceStatus s in status.Services)
            {
                await output.WriteLineAsync($"  service {s.Name}: {s.State}{(s.Health is null ? "" : $" ({s.Health})")}{(s.Restarts > 0 ? $", {s.Restarts} restarts" : "")}");
            }

            foreach (WorkflowTaskStatus t in status.Tasks)
            {
                await output.WriteLineAsync($"  task {t.Name} on {t.Worker}: {t.State}");
                foreach (ActionStatus a in t.Actions)
                {
                    string seconds = a.Seconds is { } s ? $" {s.ToString("0.0", CultureInfo.InvariantCulture)}s" : "";
                    string exit = a.ExitCode is { } code ? $" exit {code}" : "";
                    await output.WriteLineAsync($"    {a.Name}: {a.State}{seconds}{exit}{(a.Message is null ? "" : $": {a.Message}")}");
                }
            }

            if (body?["reruns"] is System.Text.Json.Nodes.JsonArray { Count: > 0 } reruns)
            {
                await output.WriteLineAsync($"  re-runs: {string.Join(", ", reruns)}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
