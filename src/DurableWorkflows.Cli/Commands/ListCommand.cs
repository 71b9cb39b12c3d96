using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableWorkflows.Cli.Common;

namespace DurableWorkflows.Cli.Commands;

/// <summary><c>dwf list [--state S] [--top N] [--json] [--server URL]</c>: the server's workflows, one page after another.</summary>
public static class ListCommand
{
    public static Command Create()
    {
        var state = new Option<string?>("--state") { Description = "Only workflows in these states (comma-separated: PENDING,RUNNING,SUCCESS,FAILED,TIMEOUT,CANCELLED).", HelpName = "S" };
        var top = new Option<int>("--top") { Description = "At most this many workflows.", DefaultValueFactory = _ => 100, HelpName = "N" };
        var json = new Option<bool>("--json") { Description = "Print the list as JSON." };
        var command = new Command("list", "List the server's workflows.") { state, top, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using ServerClient client = ServerClient.From(parse);
            int wanted = parse.GetValue(top);
            if (wanted < 1)
            {
                throw new UsageException("--top must be at least 1");
            }

            var rows = new JsonArray();
            string? continuation = null;
            do
            {
                string query = $"/api/workflows?top={Math.Min(wanted - rows.Count, 1000)}"
                    + (parse.GetValue(state) is { } s ? $"&state={Uri.EscapeDataString(s)}" : "")
                    + (continuation is null ? "" : $"&continuationToken={Uri.EscapeDataString(continuation)}");
                var (_, body) = await client.SendAsync(HttpMethod.Get, query, null, cancellationToken);
                foreach (JsonNode? row in body?["workflows"]?.AsArray() ?? [])
                {
                    rows.Add(row?.DeepClone());
                }

                continuation = body?["continuationToken"]?.GetValue<string>();
            }
            while (continuation is not null && rows.Count < wanted);

            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(rows.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }

            await output.WriteLineAsync($"{"ID",-38} {"STATE",-10} {"CREATED",-20} NAME");
            foreach (JsonNode? row in rows)
            {
                string created = row?["createdAt"] is JsonValue v && v.TryGetValue(out DateTimeOffset at) ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) : "";
                await output.WriteLineAsync($"{row?["id"],-38} {row?["state"],-10} {created,-20} {row?["name"]}");
            }

            return ExitCodes.Ok;
        });
        return command;
    }
}
