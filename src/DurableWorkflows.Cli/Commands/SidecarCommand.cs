using System.CommandLine;
using DurableWorkflows.Cli.Common;
using DurableWorkflows.Server;
using DurableWorkflows.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Cli.Commands;

/// <summary><c>dwf sidecar [--port 4001] [--backend ...]</c>: the gRPC sidecar alone (the local emulator for a Durable Task worker elsewhere), until Ctrl-C.</summary>
public static class SidecarCommand
{
    public static Command Create()
    {
        var host = new HostOptionsFromCommandLine();
        var port = new Option<int>("--port")
        {
            Description = "The loopback port to listen on (HTTP/2, gRPC).",
            DefaultValueFactory = _ => WorkflowHost.DefaultSidecarPort,
            HelpName = "PORT",
        };
        var command = new Command("sidecar", "Run the Durable Task gRPC sidecar alone, for a worker elsewhere.");
        host.AddTo(command);
        command.Add(port);
        command.SetAction(async (parse, cancellationToken) =>
        {
            Dictionary<string, string?> overrides = host.Read(parse);
            HostOptionsFromCommandLine.Set(overrides, "SidecarPort", parse.GetValue(port).ToString(System.Globalization.CultureInfo.InvariantCulture));
            await using WebApplication app = HostOptionsFromCommandLine.Build(ServerRole.Sidecar, overrides);
            await HostOptionsFromCommandLine.StartAsync(app, cancellationToken);
            DurableWorkflowsOptions options = app.Services.GetRequiredService<IOptions<DurableWorkflowsOptions>>().Value;
            await parse.InvocationConfiguration.Error.WriteLineAsync(
                $"dwf sidecar: listening on {app.Services.GetRequiredService<SidecarAddress>().Uri}, backend {options.Backend}, task hub {options.TaskHub}");
            await app.WaitForShutdownAsync(cancellationToken);
            return ExitCodes.Ok;
        });
        return command;
    }
}
