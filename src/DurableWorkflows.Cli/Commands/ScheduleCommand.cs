using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableWorkflows.Cli.Common;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Cli.Commands;

/// <summary>
/// <c>dwf schedule create NAME --cron EXPR [--tz Z] [--overlap skip|allow] [--var K=V]... [--hardware FILE] FILE</c>,
/// <c>list</c>, <c>show NAME</c>, <c>update NAME [--cron EXPR] [--tz Z] [--overlap skip|allow] [--var K=V]... [--hardware FILE] [FILE]</c>,
/// <c>pause NAME</c>, <c>resume NAME</c>, <c>run-now NAME</c>, <c>delete NAME</c>: recurring runs on a
/// server (<c>--server</c>, default http://127.0.0.1:8080). Exit 0 done, 1 refused by the server (invalid, exists,
/// not found, unreachable), 2 usage.
/// </summary>
public static class ScheduleCommand
{
    public static Command Create()
    {
        var schedule = new Command("schedule", "Recurring runs of a template on a cron rhythm, on a server.");
        schedule.Add(CreateCommand());
        schedule.Add(ListCommand());
        schedule.Add(ShowCommand());
        schedule.Add(UpdateCommand());
        schedule.Add(NamedCommand("pause", "Stop starting runs until resumed.", "pause", "paused"));
        schedule.Add(NamedCommand("resume", "Start runs again from the next occurrence on.", "resume", "resumed"));
        schedule.Add(NamedCommand("run-now", "Start a run now (under the schedule's overlap policy).", "run-now", "run requested"));
        schedule.Add(DeleteCommand());
        return schedule;
    }

    private static Argument<string> NameArgument() => new("NAME") { Description = "The schedule's name." };

    private static Command CreateCommand()
    {
        var name = NameArgument();
        var template = new TemplateOptions();
        var cron = CronOption();
        cron.Required = true;
        var zone = ZoneOption();
        var overlap = OverlapOption();
        overlap.DefaultValueFactory = _ => "skip";
        var command = new Command("create", "Create a schedule: the template FILE runs at every occurrence of --cron.");
        command.Add(name);
        template.AddTo(command);
        command.Add(cron);
        command.Add(zone);
        command.Add(overlap);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (path, text) = template.ReadTemplate(parse);
            var body = new
            {
                name = parse.GetValue(name),
                cron = parse.GetValue(cron),
                timeZone = parse.GetValue(zone),
                overlap = parse.GetValue(overlap),
                template = text,
                vars = template.ReadVariables(parse),
                hardware = template.ReadHardware(parse)?.ToJson(),
            };
            return await ServerClient.RunAsync(parse, async client =>
            {
                var (_, created) = await client.SendAsync(HttpMethod.Post, "api/schedules", body, cancellationToken);
                await WriteSummaryAsync(parse, "created", Read<ScheduleStatus>(created));
                return ExitCodes.Ok;
            }, path);
        });
        return command;
    }

    private static Option<string?> CronOption() => new("--cron")
    {
        Description = "Five fields (minute hour day month weekday), or six with seconds first.",
        HelpName = "EXPR",
    };

    private static Option<string?> ZoneOption() => new("--tz") { Description = "An IANA time zone (default UTC).", HelpName = "ZONE" };

    private static Option<string?> OverlapOption()
    {
        var overlap = new Option<string?>("--overlap")
        {
            Description = "skip (default): no run while the previous one is active; allow: start anyway.",
            HelpName = "skip|allow",
        };
        overlap.AcceptOnlyFromAmong("skip", "allow");
        return overlap;
    }

    private static Command UpdateCommand()
    {
        var name = NameArgument();
        var cron = CronOption();
        cron.Description = "A new rhythm: " + cron.Description;
        var zone = ZoneOption();
        zone.Description = "A new IANA time zone (an empty one: UTC).";
        var overlap = OverlapOption();
        overlap.Description = "The new overlap policy: skip (no run while the previous one is active) or allow.";
        var template = new TemplateOptions();
        template.File.Arity = ArgumentArity.ZeroOrOne;
        template.File.Description = "A new workflow template (default: keep the schedule's).";
        template.Vars.Description = "A template variable, KEY=VALUE; repeat for more. Given --var or --vars-file, these are the schedule's variables from now on (the old set is replaced).";
        var command = new Command("update", "Change a schedule's cron, time zone, overlap, variables, hardware record or template; what is not given stays, and so do its runs.");
        command.Add(name);
        command.Add(template.File);
        command.Add(template.Vars);
        command.Add(template.VarsFile);
        command.Add(template.Hardware);
        command.Add(cron);
        command.Add(zone);
        command.Add(overlap);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string scheduleName = parse.GetValue(name)!;
            (string? path, string? text) = parse.GetValue(template.File) is null ? (null, null) : template.ReadTemplate(parse);
            bool varsGiven = parse.GetValue(template.Vars) is { Length: > 0 } || parse.GetValue(template.VarsFile) is not null;
            var body = new
            {
                cron = parse.GetValue(cron),
                timeZone = parse.GetValue(zone),
                overlap = parse.GetValue(overlap),
                template = text,
                vars = varsGiven ? template.ReadVariables(parse) : null,
                hardware = template.ReadHardware(parse)?.ToJson(),
            };
            if (body is { cron: null, timeZone: null, overlap: null, template: null, vars: null, hardware: null })
            {
                throw new UsageException("schedule update needs at least one of --cron, --tz, --overlap, --var, --vars-file, --hardware, FILE");
            }

            return await ServerClient.RunAsync(parse, async client =>
            {
                var (_, updated) = await client.SendAsync(HttpMethod.Put, Route(scheduleName), body, cancellationToken);
                await WriteSummaryAsync(parse, "updated", Read<ScheduleStatus>(updated));
                return ExitCodes.Ok;
            }, path);
        });
        return command;
    }

    /// <summary><c>schedule NAME created|updated: CRON (ZONE), next run TIME</c>.</summary>
    private static Task WriteSummaryAsync(ParseResult parse, string done, ScheduleStatus status) =>
        parse.InvocationConfiguration.Output.WriteLineAsync(
            $"schedule {status.Name} {done}: {status.Cron} ({status.TimeZone}), next run {Time(status.NextOccurrence)}");

    private static Command ListCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print the schedules as JSON." };
        var command = new Command("list", "List the schedules.");
        command.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            return await ServerClient.RunAsync(parse, async client =>
            {
                var (_, body) = await client.SendAsync(HttpMethod.Get, "api/schedules", null, cancellationToken);
                var output = parse.InvocationConfiguration.Output;
                if (parse.GetValue(json))
                {
                    await output.WriteLineAsync(body?.ToJsonString());
                    return ExitCodes.Ok;
                }

                var list = Read<ScheduleListBody>(body);
                await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-24} {1,-20} {2,-16} {3,-7} {4,-8} {5,-20} {6}", "NAME", "CRON", "TZ", "OVERLAP", "STATE", "NEXT", "LAST RUN"));
                foreach (var s in list.Schedules)
                {
                    var last = s.Runs.Count > 0 ? $"{s.Runs[^1].Id} {s.Runs[^1].State}" : "-";
                    await output.WriteLineAsync(string.Format(CultureInfo.InvariantCulture, "{0,-24} {1,-20} {2,-16} {3,-7} {4,-8} {5,-20} {6}", s.Name, s.Cron, s.TimeZone, Overlap(s.Overlap), State(s), Time(s.NextOccurrence), last));
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Command ShowCommand()
    {
        var name = NameArgument();
        var json = new Option<bool>("--json") { Description = "Print the schedule as JSON." };
        var command = new Command("show", "Show a schedule: its rhythm, next occurrence, last runs and skipped occurrences.");
        command.Add(name);
        command.Add(json);
        command.SetAction(async (parse, cancellationToken) =>
        {
            return await ServerClient.RunAsync(parse, async client =>
            {
                var (_, body) = await client.SendAsync(HttpMethod.Get, Route(parse.GetValue(name)!), null, cancellationToken);
                var output = parse.InvocationConfiguration.Output;
                if (parse.GetValue(json))
                {
                    await output.WriteLineAsync(body?.ToJsonString());
                    return ExitCodes.Ok;
                }

                var s = Read<ScheduleStatus>(body);
                await output.WriteLineAsync($"name:      {s.Name}");
                await output.WriteLineAsync($"cron:      {s.Cron} ({s.TimeZone})");
                await output.WriteLineAsync($"overlap:   {Overlap(s.Overlap)}");
                await output.WriteLineAsync($"state:     {State(s)}");
                await output.WriteLineAsync($"next:      {Time(s.NextOccurrence)}");
                if (s.Error is not null)
                {
                    await output.WriteLineAsync($"error:     {s.Error}");
                }

                await output.WriteLineAsync($"runs ({s.Runs.Count}):");
                foreach (var run in s.Runs)
                {
                    await output.WriteLineAsync($"  {run.Id}  {Time(run.Occurrence)}  {run.State}{(run.Manual ? "  (run now)" : "")}{(run.Error is null ? "" : "  " + run.Error)}");
                }

                await output.WriteLineAsync($"skipped ({s.Skipped.Count}):");
                foreach (var skipped in s.Skipped)
                {
                    await output.WriteLineAsync($"  {Time(skipped.Occurrence)}  {skipped.Reason}");
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Command NamedCommand(string verb, string description, string route, string done)
    {
        var name = NameArgument();
        var command = new Command(verb, description);
        command.Add(name);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string scheduleName = parse.GetValue(name)!;
            return await ServerClient.RunAsync(parse, async client =>
            {
                await client.SendAsync(HttpMethod.Post, $"{Route(scheduleName)}/{route}", null, cancellationToken);
                await parse.InvocationConfiguration.Output.WriteLineAsync($"schedule {scheduleName}: {done}");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static Command DeleteCommand()
    {
        var name = NameArgument();
        var command = new Command("delete", "Delete a schedule: no new runs from now on; runs it started stay as they are.");
        command.Add(name);
        command.SetAction(async (parse, cancellationToken) =>
        {
            string scheduleName = parse.GetValue(name)!;
            return await ServerClient.RunAsync(parse, async client =>
            {
                await client.SendAsync(HttpMethod.Delete, Route(scheduleName), null, cancellationToken);
                await parse.InvocationConfiguration.Output.WriteLineAsync($"schedule {scheduleName}: deleted");
                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static string Route(string name) => $"api/schedules/{Uri.EscapeDataString(name)}";

    private static T Read<T>(JsonNode? body) =>
        body.Deserialize<T>(ServerClient.Json) ?? throw new ServerException("the server answered without a body");

    private static string State(ScheduleStatus s) => s.Error is not null ? "failed" : s.Deleted ? "deleted" : s.Paused ? "paused" : "active";

    private static string Overlap(ScheduleOverlap overlap) => overlap == ScheduleOverlap.Allow ? "allow" : "skip";

    private static string Time(DateTimeOffset? time) =>
        time is null ? "-" : time.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record ScheduleListBody(IReadOnlyList<ScheduleStatus> Schedules);

}
