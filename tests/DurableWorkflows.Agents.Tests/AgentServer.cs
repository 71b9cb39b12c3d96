using System.Net.Http.Json;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableWorkflows.Cli.Agent;
using DurableWorkflows.Core.Contracts;
using Grpc.Core;
using Grpc.Net.Client;

namespace DurableWorkflows.Agents.Tests;

/// <summary>
/// A real <c>dwf serve</c> with its agent endpoint (a token required), whose unknown workers agents serve and whose
/// <c>provisioner</c> is the test Docker engine; and <c>dwf agent</c> processes on the same engine, each with a data
/// directory of its own (its workflows' <c>/workflow</c> folders).
/// </summary>
public class AgentServer : IAsyncLifetime
{
    public const string Token = "agent-secret";

    private readonly string root = Directory.CreateTempSubdirectory("dwf-agents-").FullName;
    private readonly List<DwfProcessRun> agents = [];
    private readonly string taskHub = "agents" + Guid.NewGuid().ToString("N")[..10];
    private DwfProcessRun? server;

    public int ApiPort { get; } = DwfProcessRun.FreePort();

    public int AgentPort { get; } = DwfProcessRun.FreePort();

    public Uri AgentUri => new($"{Scheme}://127.0.0.1:{AgentPort}");

    /// <summary>Where the legacy protocol (tink-worker) is served.</summary>
    public int WorkerPort { get; } = DwfProcessRun.FreePort();

    public Uri WorkerUri => new($"{Scheme}://127.0.0.1:{WorkerPort}");

    /// <summary>The agent endpoints speak TLS with a self-signed certificate for 127.0.0.1 (<see cref="CertificateFile"/>).</summary>
    protected virtual bool Tls => false;

    private string Scheme => Tls ? "https" : "http";

    /// <summary>The PEM certificate of the agent endpoints when they speak TLS.</summary>
    public string CertificateFile => Path.Combine(root, "agent-cert.pem");

    private string KeyFile => Path.Combine(root, "agent-key.pem");

    /// <summary>A second <c>dwf serve</c> on the same backend (a second node of its task hub), with ports of its own; null until started.</summary>
    public DwfProcessRun? SecondNode { get; private set; }

    public int SecondAgentPort { get; } = DwfProcessRun.FreePort();

    public HttpClient Http { get; private set; } = null!;

    public string DockerHost { get; } = Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock";

    public DockerClient Docker { get; private set; } = null!;

    public string ServerOutput => server?.Output ?? "";

    /// <summary>The engine settings every process of the tests gets (an engine that may refuse privileged containers, short waits).</summary>
    /// <remarks>
    /// A task hub of each fixture's own: the container reaper of a server removes its hub's containers whose workflow it
    /// does not know, so servers of several fixtures on one hub on the shared test engine would remove each other's.
    /// </remarks>
    private Dictionary<string, string> EngineSettings(string dataDirectory) => new()
    {
        ["DOCKER_HOST"] = DockerHost,
        ["DurableWorkflows:TaskHub"] = taskHub,
        ["DurableWorkflows:DataDirectory"] = dataDirectory,
        ["DurableWorkflows:Docker:Privileged"] = "false",
        ["DurableWorkflows:Docker:StopGracePeriodSeconds"] = "1",
        ["DurableWorkflows:Docker:PullPolicy"] = "never",
        ["DurableWorkflows:Docker:MaxWaitSeconds"] = "5",
        ["Logging:Console:FormatterName"] = "simple",
    };

    /// <summary>The backend's arguments of <c>dwf serve</c> (none: memory).</summary>
    protected virtual string[] BackendArguments => [];

    public virtual async Task InitializeAsync()
    {
        if (Tls)
        {
            SelfSignedCertificate.Write("127.0.0.1", CertificateFile, KeyFile);
        }

        Docker = new DockerClientConfiguration(new Uri(DockerHost)).CreateClient();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ApiPort}"), Timeout = TimeSpan.FromSeconds(30) };
        await StartServerAsync();
    }

    /// <summary>Starts a second node of the same task hub (its own API, agent and sidecar ports, its own worker id).</summary>
    public async Task StartSecondNodeAsync(CancellationToken cancellationToken)
    {
        int api = DwfProcessRun.FreePort();
        Dictionary<string, string> settings = EngineSettings(Path.Combine(root, "server"));
        settings["DurableWorkflows:Docker:UnknownWorkers"] = "agent";
        settings["DurableWorkflows:Docker:Workers:provisioner"] = DockerHost;
        string[] backend = [.. BackendArguments.Select(a => a == "agents-node" ? "agents-node-2" : a)];
        SecondNode = DwfProcessRun.Start(root, settings,
            ["serve", "--urls", $"http://127.0.0.1:{api}", "--tink-agent-urls", $"http://127.0.0.1:{SecondAgentPort}", "--agent-token", Token, .. backend]);
        await SecondNode.WaitForOutputAsync("dwf serve: API on", cancellationToken);
    }

    /// <summary>SIGKILLs the server, then starts it again on the same ports, task hub and data.</summary>
    public async Task RestartServerAsync(TimeSpan down)
    {
        server?.Kill();
        await Task.Delay(down);
        await StartServerAsync();
    }

    private async Task StartServerAsync()
    {
        server?.Dispose();
        Dictionary<string, string> settings = EngineSettings(Path.Combine(root, "server"));
        settings["DurableWorkflows:Docker:UnknownWorkers"] = "agent";
        settings["DurableWorkflows:Docker:Workers:provisioner"] = DockerHost;
        // An agent silent past an action's timeout gets 2 s, not 30, for its own TIMEOUT report.
        settings["DurableWorkflows:Agents:ReportGraceSeconds"] = "2";
        server = DwfProcessRun.Start(root, settings,
            ["serve", "--urls", $"http://127.0.0.1:{ApiPort}", "--tink-agent-urls", AgentUri.ToString().TrimEnd('/'),
                "--tink-worker-urls", WorkerUri.ToString().TrimEnd('/'), "--agent-token", Token, .. TlsArguments(), .. BackendArguments]);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            Assert.False(server.HasExited, $"dwf serve exited:\n{server.Output}");
            try
            {
                using HttpResponseMessage health = await Http.GetAsync("/healthz", bound.Token);
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100, bound.Token);
        }
    }

    public virtual Task DisposeAsync()
    {
        foreach (DwfProcessRun agent in agents)
        {
            agent.Dispose();
        }

        server?.Dispose();
        SecondNode?.Dispose();
        Http.Dispose();
        Docker.Dispose();
        Directory.Delete(root, recursive: true);
        return Task.CompletedTask;
    }

    private string[] TlsArguments() => Tls ? ["--agent-tls-cert", CertificateFile, "--agent-tls-key", KeyFile] : [];

    /// <summary>The data directory of agent <paramref name="id"/> (its workflows' folders are under <c>workflows/</c>).</summary>
    public string AgentDirectory(string id) => Path.Combine(root, "agent-" + id.Replace(':', '-'));

    /// <summary>Starts <c>dwf agent --id ID</c> (on this node's agent endpoint, or <paramref name="endpoint"/>) and waits until it asks for work.</summary>
    public async Task<DwfProcessRun> StartAgentAsync(string id, CancellationToken cancellationToken, Uri? endpoint = null)
    {
        DwfProcessRun agent = DwfProcessRun.Start(root, EngineSettings(AgentDirectory(id)),
            ["agent", "--server", (endpoint ?? AgentUri).ToString(), "--id", id, "--token", Token, .. Tls ? ["--ca-cert", CertificateFile] : Array.Empty<string>()]);
        agents.Add(agent);
        await agent.WaitForOutputAsync("asking", cancellationToken);
        return agent;
    }

    public async Task<string> StartAsync(string template, CancellationToken cancellationToken)
    {
        using HttpResponseMessage response = await Http.PostAsJsonAsync("/api/workflows", new { template }, cancellationToken);
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, body);
        using JsonDocument json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("id").GetString()!;
    }

    public async Task<JsonDocument> StatusAsync(string id, CancellationToken cancellationToken) =>
        JsonDocument.Parse(await Http.GetStringAsync($"/api/workflows/{id}", cancellationToken));

    /// <summary>Polls the status until <paramref name="condition"/> holds; the last status in the failure otherwise.</summary>
    public async Task<JsonDocument> WaitForAsync(string id, Func<JsonElement, bool> condition, CancellationToken cancellationToken)
    {
        string last = "";
        try
        {
            while (true)
            {
                JsonDocument status = await StatusAsync(id, cancellationToken);
                last = status.RootElement.ToString();
                if (condition(status.RootElement))
                {
                    return status;
                }

                status.Dispose();
                await Task.Delay(100, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"workflow {id} did not get there in time; last status: {last}\nserver:\n{ServerOutput}");
            throw;
        }
    }

    /// <summary>Waits until the workflow's events say its action (any, or <paramref name="action"/>) started on agent <paramref name="agent"/>.</summary>
    public async Task WaitStartedOnAgentAsync(string id, string agent, CancellationToken cancellationToken, string? action = null)
    {
        using JsonDocument status = await WaitForAsync(
            id,
            s => s.GetProperty("events").EnumerateArray().Any(e =>
                e.GetProperty("message").GetString() == $"started on agent {agent}" && (action is null || e.GetProperty("action").GetString() == action)),
            cancellationToken);
    }

    /// <summary>A MAC of VirtualBox's range no other test uses: a machine of its own.</summary>
    public static string NewMac()
    {
        byte[] b = Guid.NewGuid().ToByteArray();
        return $"08:00:27:{b[0]:x2}:{b[1]:x2}:{b[2]:x2}";
    }

    /// <summary>Waits until the workflow has ended, then checks it ended <paramref name="state"/> (the status and its actions' logs in the failure otherwise).</summary>
    public async Task<JsonDocument> WaitForStateAsync(string id, string state, CancellationToken cancellationToken)
    {
        JsonDocument final = await WaitForAsync(id, s => s.GetProperty("runtimeStatus").GetString() is not ("Running" or "Pending"), cancellationToken);
        if (final.RootElement.GetProperty("state").GetString() != state)
        {
            string logs = await Http.GetStringAsync($"/api/workflows/{id}/logs", cancellationToken);
            Assert.Fail($"workflow {id} ended {final.RootElement.GetProperty("state").GetString()}, not {state}: {final.RootElement}\nlogs: {logs}\nserver:\n{ServerOutput}");
        }

        return final;
    }

    /// <summary>The containers of the workflow on the test engine (the agents' included: they carry its label).</summary>
    public async Task<IList<ContainerListResponse>> ContainersOfAsync(string id, CancellationToken cancellationToken) =>
        await Docker.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.WorkflowId}={id}"] = true } },
            },
            cancellationToken);

    /// <summary>Waits (bounded) until no container of the workflow is left.</summary>
    public async Task WaitNoContainersAsync(string id, CancellationToken cancellationToken)
    {
        while ((await ContainersOfAsync(id, cancellationToken)).Count > 0)
        {
            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>A gRPC channel to the agent endpoint (or <paramref name="address"/>), with <paramref name="token"/> as the bearer token when given; over TLS it trusts the test certificate.</summary>
    public GrpcChannel Channel(string? token, Uri? address = null) => GrpcChannel.ForAddress(address ?? AgentUri, new GrpcChannelOptions
    {
        Credentials = token is null ? (Tls ? ChannelCredentials.SecureSsl : null) : ChannelCredentials.Create(Tls ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure, CallCredentials.FromInterceptor((_, metadata) =>
        {
            metadata.Add("authorization", $"Bearer {token}");
            return Task.CompletedTask;
        })),
        UnsafeUseInsecureChannelCallCredentials = !Tls,
        HttpHandler = Tls ? AgentTls.Trusting(CertificateFile) : null,
        DisposeHttpClient = true,
    });
}
