using System.Net.Http.Json;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;

namespace DurableWorkflows.Server.Tests;

/// <summary>A real server (HTTP API, sidecar, worker, reaper; memory backend) on free loopback ports, and a client for it.</summary>
public class ServerFixture : IAsyncLifetime
{
    public const string Image = "dwf-busybox:latest";

    /// <summary>The test servers' request body limit.</summary>
    public const int MaxRequestBodyBytes = 65536;

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("dwf-server-tests-").FullName;
    private readonly IReadOnlyDictionary<string, string?> _extraSettings;
    private WebApplication? _app;

    public ServerFixture()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>A server with <paramref name="extraSettings"/> on top of <see cref="TestSettings"/>.</summary>
    protected ServerFixture(IReadOnlyDictionary<string, string?> extraSettings) => _extraSettings = extraSettings;

    public HttpClient Http { get; private set; } = null!;

    public DockerClient Docker { get; } = new DockerClientConfiguration(new Uri(
        Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock")).CreateClient();

    /// <summary>
    /// Settings every test host uses: containers unprivileged (the test engine refuses privileged ones), a short reaper
    /// period, and a task hub of its own: a reaper removes the containers of its hub's workflows that its backend does
    /// not know, so hosts that run at the same time (in this process or another test project) must not share one.
    /// </summary>
    public static Dictionary<string, string?> TestSettings(string dataDirectory, int apiPort) => new()
    {
        ["DurableWorkflows:Backend"] = "memory",
        ["DurableWorkflows:TaskHub"] = "test" + Guid.NewGuid().ToString("N")[..12],
        ["DurableWorkflows:Urls"] = $"http://127.0.0.1:{apiPort}",
        ["DurableWorkflows:DataDirectory"] = dataDirectory,
        ["DurableWorkflows:Docker:Privileged"] = "false",
        ["DurableWorkflows:Docker:ReaperPeriodSeconds"] = "2",
        ["DurableWorkflows:Docker:StopGracePeriodSeconds"] = "1",
        ["DurableWorkflows:MaxRequestBodyBytes"] = MaxRequestBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public async Task InitializeAsync()
    {
        (_app, int port) = await StartServerAsync(_dataDirectory, _extraSettings);
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>
    /// Builds and starts a server with <see cref="TestSettings"/> (and <paramref name="extraSettings"/> on top) on a free
    /// loopback port. Another process can take a port found free before the server binds it (other tests run at the
    /// same time): then it starts again on another port, a few times at most.
    /// </summary>
    public static async Task<(WebApplication App, int Port)> StartServerAsync(
        string dataDirectory, IReadOnlyDictionary<string, string?>? extraSettings = null, CancellationToken cancellationToken = default)
    {
        for (int attempt = 1; ; attempt++)
        {
            int port = FreePort.Find();
            Dictionary<string, string?> settings = TestSettings(dataDirectory, port);
            foreach ((string key, string? value) in extraSettings ?? new Dictionary<string, string?>())
            {
                settings[key] = value;
            }

            WebApplication app = WorkflowHost.Build(ServerRole.Serve, settings);
            try
            {
                await app.StartAsync(cancellationToken);
                return (app, port);
            }
            catch (IOException e) when (e.InnerException is AddressInUseException && attempt < 5)
            {
                using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await app.StopAsync(stop.Token);
                await app.DisposeAsync();
            }
        }
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await StopServerAsync();

        Docker.Dispose();
        Directory.Delete(_dataDirectory, recursive: true);
    }

    /// <summary>Stops the server as a SIGTERM does (its hosted services' stop, the worker first), and disposes it.</summary>
    public async Task StopServerAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Starts a workflow; returns its id.</summary>
    public async Task<string> StartAsync(string template, CancellationToken cancellationToken, string? id = null)
    {
        using HttpResponseMessage response = await Http.PostAsJsonAsync("/api/workflows", new { template, id }, cancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        using JsonDocument body = await ReadJsonAsync(response, cancellationToken);
        return body.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Polls the status until the workflow has finished in one of <paramref name="states"/>.</summary>
    public async Task<JsonDocument> WaitForStateAsync(string id, CancellationToken cancellationToken, params WorkflowState[] states)
    {
        while (true)
        {
            using HttpResponseMessage response = await Http.GetAsync($"/api/workflows/{id}", cancellationToken);
            JsonDocument body = await ReadJsonAsync(response, cancellationToken);
            string state = body.RootElement.GetProperty("state").GetString()!;
            // 200 once the orchestration has finished; its final state is published a moment before that (202).
            if (response.StatusCode == System.Net.HttpStatusCode.OK && states.Any(s => s.ToString() == state))
            {
                return body;
            }

            body.Dispose();
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Polls the status until an action of the workflow runs in its container (an action is RUNNING from the moment it is being started).</summary>
    public async Task WaitForRunningActionAsync(string id, CancellationToken cancellationToken)
    {
        while (true)
        {
            using HttpResponseMessage response = await Http.GetAsync($"/api/workflows/{id}", cancellationToken);
            using JsonDocument body = await ReadJsonAsync(response, cancellationToken);
            if (body.RootElement.GetProperty("tasks").EnumerateArray()
                .SelectMany(t => t.GetProperty("actions").EnumerateArray())
                .Any(a => a.GetProperty("state").GetString() == "RUNNING"
                    && a.TryGetProperty("container", out JsonElement container) && container.ValueKind == JsonValueKind.String))
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>The containers that carry the workflow's label.</summary>
    public async Task<IList<ContainerListResponse>> ContainersOfAsync(string id, CancellationToken cancellationToken) =>
        await Docker.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.WorkflowId}={id}"] = true },
                },
            },
            cancellationToken);

    /// <summary>Removes whatever the workflow left (so a failing test leaves nothing), and returns how many there were.</summary>
    public async Task<int> RemoveContainersOfAsync(string id)
    {
        IList<ContainerListResponse> left = await ContainersOfAsync(id, CancellationToken.None);
        foreach (ContainerListResponse c in left)
        {
            await Docker.Containers.RemoveContainerAsync(c.ID, new ContainerRemoveParameters { Force = true });
        }

        return left.Count;
    }

    /// <summary>The API's JSON conventions.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    public static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
}

/// <summary>Busybox workflow templates.</summary>
public static class Templates
{
    public const string Succeeds = """
        version: "0.1"
        name: hello
        global_timeout: 60
        tasks:
          - name: greet
            worker: local
            actions:
              - name: say-hello
                image: dwf-busybox:latest
                timeout: 30
                command: ["sh", "-c", "echo hello from the action"]
        """;

    public const string Fails = """
        version: "0.1"
        name: broken
        global_timeout: 60
        tasks:
          - name: work
            worker: local
            actions:
              - name: explode
                image: dwf-busybox:latest
                timeout: 30
                command: ["sh", "-c", "echo about to fail; exit 3"]
              - name: never
                image: dwf-busybox:latest
                command: ["true"]
        """;

    public const string Sleeps = """
        version: "0.1"
        name: sleeper
        global_timeout: 300
        tasks:
          - name: rest
            worker: local
            actions:
              - name: nap
                image: dwf-busybox:latest
                timeout: 200
                command: ["sleep", "120"]
        """;

    /// <summary>An action that writes a line, then runs until it is cancelled.</summary>
    public const string TalksThenSleeps = """
        version: "0.1"
        name: talker
        global_timeout: 300
        tasks:
          - name: rest
            worker: local
            actions:
              - name: talk
                image: dwf-busybox:latest
                timeout: 200
                command: ["sh", "-c", "echo live-line; exec sleep 120"]
        """;

    /// <summary>Two errors: a missing global_timeout (1:1) and an action without an image (line 7).</summary>
    public const string Invalid = """
        version: "0.1"
        name: bad
        tasks:
          - name: t
            worker: local
            actions:
              - name: no-image
                command: ["true"]
        """;
}
