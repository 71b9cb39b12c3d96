using System.CommandLine;
using System.Runtime.InteropServices;
using DurableWorkflows.Cli.Agent;
using DurableWorkflows.Cli.Common;
using DurableWorkflows.Containers;
using DurableWorkflows.Server.Agents.Logs;
using DurableWorkflows.Server.Agents.Tink;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Cli.Commands;

/// <summary>
/// <c>dwf agent --server URL --id ID [--token T] [--docker-host H]</c>: an agent for any Linux machine with Docker. It
/// dials the server's agent endpoint (<c>dwf serve --tink-agent-urls</c>) with Tinkerbell's current protocol and runs
/// the actions of its ID on the Docker engine of <c>--docker-host</c> (default <c>DOCKER_HOST</c>); the engine settings of
/// <c>DurableWorkflows:Docker</c> (environment variables, host.json) apply, and each workflow's <c>/workflow</c> folder is
/// under <c>--data-directory</c>. SIGTERM or Ctrl-C ends it cleanly: an action in progress keeps running, and the agent
/// started again takes its result.
/// </summary>
public static class AgentCommand
{
    public static Command Create()
    {
        var id = new Option<string>("--id") { Description = "The agent's ID: the machine's MAC, or its Hardware record's spec.agentID.", Required = true, HelpName = "ID" };
        var dockerHost = new Option<string?>("--docker-host") { Description = "The Docker engine that runs the actions (default: DOCKER_HOST).", HelpName = "URI" };
        var dataDirectory = new Option<string?>("--data-directory")
        {
            Description = "Where the workflows' /workflow folders and the actions' logs are kept (default: DurableWorkflows:DataDirectory).",
            HelpName = "DIR",
        };
        var caCert = new Option<string?>("--ca-cert")
        {
            Description = "A PEM certificate to trust for an https:// --server (its own, or its CA's), besides the system's.",
            HelpName = "FILE",
        };
        var command = new Command("agent", "Run the actions of this machine's ID that a server offers (Tinkerbell's agent protocol; --server is its agent endpoint).")
        {
            id, dockerHost, dataDirectory, caCert,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            Uri uri = ServerClient.ServerUri(parse);
            string? token = ServerClient.Token(parse);
            string agentId = parse.GetValue(id)!;
            DockerOptions docker = ReadDockerOptions(parse.GetValue(dockerHost), parse.GetValue(dataDirectory));
            docker.AgentId = agentId;
            using var endpoints = new DockerEndpoints(Options.Create(docker));
            var engine = new ContainerEngine(endpoints, new ContainerLogs(Options.Create(docker)), Options.Create(docker));
            using GrpcChannel channel = GrpcChannel.ForAddress(uri, new GrpcChannelOptions
            {
                Credentials = token is { Length: > 0 } ? Bearer(token, uri) : null,
                UnsafeUseInsecureChannelCallCredentials = uri.Scheme == Uri.UriSchemeHttp,
                HttpHandler = parse.GetValue(caCert) is { } ca ? AgentTls.Trusting(ca) : null,
                DisposeHttpClient = true,
            });

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
            TextWriter error = parse.InvocationConfiguration.Error;
            await error.WriteLineAsync($"dwf agent {agentId}: asking {uri} for actions, running them on {endpoints.DefaultUri}");
            var runner = new AgentRunner(new WorkflowService.WorkflowServiceClient(channel), new AgentLogService.AgentLogServiceClient(channel), engine, agentId, error);
            try
            {
                await runner.RunAsync(stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.Cancelled && stop.IsCancellationRequested)
            {
                // SIGTERM while a call to the server was out: the call ends Cancelled, the agent stops as it should.
            }
            catch (InvalidOperationException e)
            {
                await error.WriteLineAsync($"dwf agent: {e.Message}");
                return ExitCodes.Usage;
            }

            await error.WriteLineAsync($"dwf agent {agentId}: stopped");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static ChannelCredentials Bearer(string token, Uri uri)
    {
        CallCredentials call = CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", $"Bearer {token}");
            return Task.CompletedTask;
        });
        return ChannelCredentials.Create(uri.Scheme == Uri.UriSchemeHttps ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, call);
    }

    /// <summary>The engine settings of DurableWorkflows:Docker from host.json and the environment, with the command line's on top.</summary>
    private static DockerOptions ReadDockerOptions(string? dockerHost, string? dataDirectory)
    {
        var builder = new ConfigurationBuilder();
        Server.Hosting.WorkflowHost.AddConfiguration(builder, null);
        IConfiguration configuration = builder.Build();
        DockerOptions docker = configuration.GetSection(DockerOptions.SectionName).Get<DockerOptions>() ?? new DockerOptions();
        docker.DataDirectory = dataDirectory ?? configuration[DockerOptions.DataDirectoryKey] ?? docker.DataDirectory;
        // Its containers carry the task hub label, as a server's do (a server's reaper on the same engine keeps to its own hub).
        docker.TaskHub = configuration[DockerOptions.TaskHubKey] is { Length: > 0 } taskHub ? taskHub : docker.TaskHub;
        if (dockerHost is not null)
        {
            docker.DefaultEndpoint = dockerHost;
        }

        return docker;
    }
}
