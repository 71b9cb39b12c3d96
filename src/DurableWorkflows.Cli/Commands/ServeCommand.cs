using System.CommandLine;
using DurableWorkflows.Cli.Common;
using DurableWorkflows.Server;
using DurableWorkflows.Server.Agents;
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
            Description = "Where agents (tink-agent, dwf agent) dial in with Tinkerbell's agent protocol: http://IP:PORT (plaintext HTTP/2) or https://IP:PORT (TLS).",
            HelpName = "URL",
        };
        var tinkWorkerUrls = new Option<string?>("--tink-worker-urls")
        {
            Description = "Where Tinkerbell's legacy tink-worker dials in (its own protocol, on a port of its own): http://IP:PORT or https://IP:PORT.",
            HelpName = "URL",
        };
        var agentCert = new Option<string?>("--agent-tls-cert")
        {
            Description = "The PEM certificate of the https:// agent endpoints.",
            HelpName = "FILE",
        };
        var agentKey = new Option<string?>("--agent-tls-key")
        {
            Description = "The PEM key of --agent-tls-cert.",
            HelpName = "FILE",
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
        command.Add(tinkWorkerUrls);
        command.Add(agentCert);
        command.Add(agentKey);
        command.Add(agentToken);
        command.SetAction(async (parse, cancellationToken) =>
        {
            Dictionary<string, string?> overrides = host.Read(parse);
            HostOptionsFromCommandLine.Set(overrides, "Urls", parse.GetValue(urls));
            HostOptionsFromCommandLine.Set(overrides, "SidecarPort", parse.GetValue(sidecarPort)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            HostOptionsFromCommandLine.Set(overrides, "WorkerId", parse.GetValue(workerId));
            HostOptionsFromCommandLine.Set(overrides, "Agents:TinkAgentUrls", parse.GetValue(tinkAgentUrls));
            HostOptionsFromCommandLine.Set(overrides, "Agents:TinkWorkerUrls", parse.GetValue(tinkWorkerUrls));
            HostOptionsFromCommandLine.Set(overrides, "Agents:CertificateFile", parse.GetValue(agentCert));
            HostOptionsFromCommandLine.Set(overrides, "Agents:KeyFile", parse.GetValue(agentKey));
            HostOptionsFromCommandLine.Set(overrides, "Agents:Token", parse.GetValue(agentToken));
            await using WebApplication app = HostOptionsFromCommandLine.Build(ServerRole.Serve, overrides);
            await HostOptionsFromCommandLine.StartAsync(app, cancellationToken);
            DurableWorkflowsOptions options = app.Services.GetRequiredService<IOptions<DurableWorkflowsOptions>>().Value;
            AgentOptions agents = app.Services.GetRequiredService<IOptions<AgentOptions>>().Value;
            string agentUrls = string.Join("", new[] { ("tink-agent", agents.TinkAgentUrls), ("tink-worker", agents.TinkWorkerUrls) }
                .Where(p => !string.IsNullOrWhiteSpace(p.Item2)).Select(p => $", {p.Item1} on {p.Item2}"));
            await parse.InvocationConfiguration.Error.WriteLineAsync(
                $"dwf serve: API on {options.Urls.Replace(";", ", ", StringComparison.Ordinal)}{agentUrls}, "
                + $"sidecar on {app.Services.GetRequiredService<SidecarAddress>().Uri}, backend {options.Backend}, task hub {options.TaskHub}");
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
