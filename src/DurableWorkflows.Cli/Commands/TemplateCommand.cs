using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DurableWorkflows.Cli.Common;

namespace DurableWorkflows.Cli.Commands;

/// <summary>
/// <c>dwf template put NAME FILE</c>, <c>get NAME [--json]</c>, <c>list [--json]</c>, <c>delete NAME</c>: the server's
/// stored templates (<c>--server</c>, <c>--token</c>), which Tinkerbell's Workflow objects name in <c>templateRef</c>.
/// Exit 0 done, 1 refused by the server, 2 usage.
/// </summary>
public static class TemplateCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var template = new Command("template", "The server's stored templates, which Workflow objects name in spec.templateRef.");
        template.Add(PutCommand());
        template.Add(GetCommand());
        template.Add(ListCommand());
        template.Add(DeleteCommand());
        return template;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "The template's name." };

    private static Command PutCommand()
    {
        var name = NameArgument();
        var file = new Argument<string>("FILE") { Description = "The template (its YAML) or Tinkerbell's Template object." };
        var command = new Command("put", "Store a template under NAME, replacing one of that name.") { name, file };
        command.SetAction((parse, cancellationToken) =>
            StoredRecords.PutAsync(parse, "template", "template", parse.GetValue(name)!, Route(parse.GetValue(name)!), parse.GetValue(file)!, cancellationToken));
        return command;
    }

    private static Command GetCommand()
    {
        var name = NameArgument();
        var json = new Option<bool>("--json") { Description = "Print the API's body (name, template, updatedAt)." };
        var command = new Command("get", "Print a stored template as it was put.") { name, json };
        command.SetAction((parse, cancellationToken) => ServerClient.RunAsync(parse, async client =>
        {
            var (_, body) = await client.SendAsync(HttpMethod.Get, Route(parse.GetValue(name)!), null, cancellationToken);
            TextWriter output = parse.InvocationConfiguration.Output;
            await output.WriteAsync(parse.GetValue(json) ? body?.ToJsonString(Indented) + "\n" : body?["template"]?.GetValue<string>());
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command ListCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print the list as JSON (the API's body)." };
        var command = new Command("list", "List the stored templates.") { json };
        command.SetAction((parse, cancellationToken) => ServerClient.RunAsync(parse, async client =>
        {
            var (_, body) = await client.SendAsync(HttpMethod.Get, "/api/templates", null, cancellationToken);
            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await output.WriteLineAsync(body?.ToJsonString(Indented));
                return ExitCodes.Ok;
            }

            await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-32} {1}", "NAME", "UPDATED"));
            foreach (var t in body?["templates"]?.AsArray() ?? [])
            {
                await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-32} {1}", t?["name"], t?["updatedAt"]));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command DeleteCommand()
    {
        var name = NameArgument();
        var command = new Command("delete", "Delete a stored template.") { name };
        command.SetAction((parse, cancellationToken) =>
            StoredRecords.DeleteAsync(parse, "template", parse.GetValue(name)!, Route(parse.GetValue(name)!), cancellationToken));
        return command;
    }

    private static string Route(string name) => $"/api/templates/{Uri.EscapeDataString(name)}";
}
