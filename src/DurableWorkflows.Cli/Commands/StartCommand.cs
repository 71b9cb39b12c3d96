using System.CommandLine;
using System.Text.Json.Nodes;
using DurableWorkflows.Cli.Common;

namespace DurableWorkflows.Cli.Commands;

/// <summary>
/// <c>dwf start FILE [--var K=V]... [--vars-file F] [--hardware FILE | --hardware-name NAME] [--id ID] [--server URL]</c>:
/// start a workflow on a server; prints its id. <c>--hardware</c> sends the record with the start, <c>--hardware-name</c>
/// names one stored on the server (<c>dwf hardware put</c>).
/// </summary>
public static class StartCommand
{
    public static Command Create()
    {
        var template = new TemplateOptions();
        var id = new Option<string?>("--id") { Description = "The workflow id (default: a new UUID).", HelpName = "ID" };
        var hardwareName = new Option<string?>("--hardware-name")
        {
            Description = "The name of a Hardware record stored on the server (dwf hardware put), read by the template as .Hardware.",
            HelpName = "NAME",
        };
        var command = new Command("start", "Start a workflow on a server and print its id.");
        template.AddTo(command);
        command.Add(hardwareName);
        command.Add(id);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (path, text) = template.ReadTemplate(parse);
            var vars = template.ReadVariables(parse);
            string? named = parse.GetValue(hardwareName);
            if (named is not null && parse.GetValue(template.Hardware) is not null)
            {
                throw new UsageException("give either --hardware FILE or --hardware-name NAME, not both");
            }

            JsonNode? hardware = named is not null ? JsonValue.Create(named) : template.ReadHardware(parse)?.ToJson();
            using ServerClient client = ServerClient.From(parse);
            try
            {
                var (_, body) = await client.SendAsync(HttpMethod.Post, "/api/workflows", new { template = text, vars, id = parse.GetValue(id), hardware }, cancellationToken);
                await parse.InvocationConfiguration.Output.WriteLineAsync(body?["id"]?.GetValue<string>());
                return ExitCodes.Ok;
            }
            catch (ServerException e) when (e.Problem?["errors"] is JsonArray errors && e.Problem?["title"]?.GetValue<string>() == "Invalid template")
            {
                foreach (JsonNode? error in errors)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"{path}:{error?["line"]}:{error?["column"]}: {error?["message"]}");
                }

                await parse.InvocationConfiguration.Error.WriteLineAsync($"{path}: invalid template, not started");
                return ExitCodes.Usage;
            }
        });
        return command;
    }
}
