using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableWorkflows.Cli.Common;

namespace DurableWorkflows.Cli.Commands;

/// <summary>
/// <c>dwf hardware put NAME FILE</c>, <c>get NAME [--json]</c>, <c>list [--json]</c>, <c>delete NAME</c>: the server's
/// inventory of Hardware records (<c>--server</c>, <c>--token</c>). Exit 0 done, 1 refused by the server (an invalid
/// record, not found, unreachable), 2 usage (bad arguments, an unreadable file, a missing or wrong token).
/// </summary>
public static class HardwareCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var hardware = new Command("hardware", "The server's Hardware records, which templates read as .Hardware.");
        hardware.Add(PutCommand());
        hardware.Add(GetCommand());
        hardware.Add(ListCommand());
        hardware.Add(DeleteCommand());
        return hardware;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "The record's name." };

    private static Command PutCommand()
    {
        var name = NameArgument();
        var file = new Argument<string>("FILE") { Description = "The Hardware record: Tinkerbell's Hardware object (YAML or JSON) or its spec." };
        var command = new Command("put", "Store a Hardware record under NAME, replacing one of that name.") { name, file };
        command.SetAction((parse, cancellationToken) =>
            StoredRecords.PutAsync(parse, "hardware", "hardware record", parse.GetValue(name)!, Route(parse.GetValue(name)!), parse.GetValue(file)!, cancellationToken));
        return command;
    }

    private static Command GetCommand()
    {
        var name = NameArgument();
        var json = new Option<bool>("--json") { Description = "Print the whole Hardware object as JSON (what put takes back)." };
        var command = new Command("get", "Show a Hardware record.") { name, json };
        command.SetAction((parse, cancellationToken) => ServerClient.RunAsync(parse, async client =>
        {
            var (_, body) = await client.SendAsync(HttpMethod.Get, Route(parse.GetValue(name)!), null, cancellationToken);
            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(body?.ToJsonString(Indented));
                return ExitCodes.Ok;
            }

            JsonNode? spec = body?["spec"];
            await output.WriteLineAsync($"name:      {body?["metadata"]?["name"]}");
            await output.WriteLineAsync($"endpoint:  {body?["metadata"]?["annotations"]?[Core.Hardware.HardwareRecord.DockerEndpointAnnotation]?.GetValue<string>() ?? "-"}");
            await output.WriteLineAsync($"disks:     {Join(spec?["disks"]?.AsArray().Select(d => d?["device"]?.GetValue<string>()))}");
            foreach (JsonNode? nic in spec?["interfaces"]?.AsArray() ?? [])
            {
                JsonNode? dhcp = nic?["dhcp"];
                JsonNode? ip = dhcp?["ip"];
                await output.WriteLineAsync(string.Format(
                    CultureInfo.InvariantCulture,
                    "interface: {0}  ip {1}/{2}  gateway {3}  hostname {4}",
                    Text(dhcp?["mac"]),
                    Text(ip?["address"]),
                    Text(ip?["netmask"]),
                    Text(ip?["gateway"]),
                    Text(dhcp?["hostname"])));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ListCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print the list as JSON (the API's body)." };
        var command = new Command("list", "List the Hardware records.") { json };
        command.SetAction((parse, cancellationToken) => ServerClient.RunAsync(parse, async client =>
        {
            var (_, body) = await client.SendAsync(HttpMethod.Get, "/api/hardware", null, cancellationToken);
            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(body?.ToJsonString(Indented));
                return ExitCodes.Ok;
            }

            const string row = "{0,-24} {1,-36} {2,-24} {3}";
            await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, row, "NAME", "MACS", "DISKS", "ENDPOINT"));
            foreach (JsonNode? h in body?["hardware"]?.AsArray() ?? [])
            {
                await output.WriteLineAsync(string.Format(
                    CultureInfo.InvariantCulture,
                    row,
                    Text(h?["name"]),
                    Join(h?["macs"]?.AsArray().Select(m => m?.GetValue<string>())),
                    Join(h?["disks"]?.AsArray().Select(d => d?.GetValue<string>())),
                    Text(h?["dockerEndpoint"])));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command DeleteCommand()
    {
        var name = NameArgument();
        var command = new Command("delete", "Delete a Hardware record.") { name };
        command.SetAction((parse, cancellationToken) =>
            StoredRecords.DeleteAsync(parse, "hardware", parse.GetValue(name)!, Route(parse.GetValue(name)!), cancellationToken));
        return command;
    }

    private static string Route(string name) => $"/api/hardware/{Uri.EscapeDataString(name)}";

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue(out string? s) && s.Length > 0 ? s : "-";

    private static string Join(IEnumerable<string?>? values) =>
        values?.Where(v => !string.IsNullOrEmpty(v)).ToList() is { Count: > 0 } list ? string.Join(",", list) : "-";
}
