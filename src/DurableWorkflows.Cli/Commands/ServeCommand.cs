using System.CommandLine;
using DurableWorkflows.Cli.Common;
using DurableWorkflows.Server;
using DurableWorkflows.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Cli.Commands;

/// <summary><c>dwf serve [--urls URL] [--backend memory|azurestorage] [--storage-connection S]</c>: the HTTP API, the sidecar, the worker and the reaper in one process, until Ctrl-C.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var host = new HostOptionsFromCommandLine();
        var urls = new Option<string?>("--urls")
        {
            Description = "Where the HTTP API listens (default http://127.0.0.1:8080); ';' separates several.",
            HelpName = "URL",
        };
        var sidecarPort = new Option<int?>("--sidecar-port")
        {
            Description = "The loopback port of the gRPC sidecar (default: a free one).",
            HelpName = "PORT",
        };
        var workerId = new Option<string?>("--worker-id")
        {
            Description = "This node's stable identity on a shared task hub (default: the machine name).",
            HelpName = "ID",
        };
        var tinkAgentUrls = new Option<string?>("--tink-agent-urls")
        {
            Description = "Where agents (tink-agent, dwf agent) dial in with Tinkerbell's agent protocol: http://IP:PORT (plaintext HTTP/2).",
            HelpName = "URL",
        };
        var agentToken = new Option<string?>("--agent-token")
        {
            Description = "The bearer token agents must send (default: DurableWorkflows:Agents:Token; none: agents are not asked for one).",
            HelpName = "TOKEN",
        };
        var command = new Command("serve", "Run the server: HTTP API, gRPC sidecar, worker, container reaper and the agent endpoint.");
        host.AddTo(command);
        command.Add(urls);
        command.Add(sidecarPort);
        command.Add(workerId);
        command.Add(tinkAgentUrls);
        command.Add(agentToken);
        command.SetAction(async (parse, cancellationToken) =>
        {
            Dictionary<string, string?> overrides = host.Read(parse);
            HostOptionsFromCommandLine.Set(overrides, "Urls", parse.GetValue(urls));
            HostOptionsFromCommandLine.Set(overrides, "SidecarPort", parse.GetValue(sidecarPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            HostOptionsFromCommandLine.Set(overrides, "WorkerId", parse.GetValue(workerId));
            HostOptionsFromCommandLine.Set(overrides, "Agents:TinkAgentUrls", parse.GetValue(tinkAgentUrls));
            HostOptionsFromCommandLine.Set(overrides, "Agents:Token", parse.GetValue(agentToken));
            await using WebApplication app = HostOptionsFromCommandLine.Build(ServerRole.Serve, overrides);
            await HostOptionsFromCommandLine.StartAsync(app, cancellationToken);
            DurableWorkflowsOptions options = app.Services.GetRequiredService<IOptions<DurableWorkflowsOptions>>().Value;
            await parse.InvocationConfiguration.Error.WriteLineAsync(
                $"dwf serve: API on {string.Join(", ", app.Urls.Where(u => !u.Contains(app.Services.GetRequiredService<SidecarAddress>().Uri.Authority, StringComparison.Ordinal)))}, "
                + $"sidecar on {app.Services.GetRequiredService<SidecarAddress>().Uri}, backend {options.Backend}, task hub {options.TaskHub}");
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
