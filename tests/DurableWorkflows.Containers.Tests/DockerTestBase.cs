using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using RestartPolicy = DurableWorkflows.Core.Templates.RestartPolicy;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Containers.Tests;

/// <summary>
/// Makes sure the images the tests use exist on the engine of DOCKER_HOST: when one is missing, scripts/build-images.sh
/// builds them (the base from the host's static busybox, the others from tests/images/NAME), as the set-up does.
/// </summary>
public sealed class DockerFixture : IAsyncLifetime
{
    public const string Image = "dwf-busybox:latest";

    /// <summary>tests/images/dwf-test-healthcheck: an image with its own HEALTHCHECK.</summary>
    public const string HealthcheckImage = "dwf-test-healthcheck:latest";

    /// <summary>tests/images/dwf-test-noshell: busybox as its entrypoint, and no <c>/bin/sh</c>.</summary>
    public const string NoShellImage = "dwf-test-noshell:latest";

    private static readonly SemaphoreSlim BuildLock = new(1, 1);

    public async Task InitializeAsync()
    {
        await BuildLock.WaitAsync();
        try
        {
            var options = new DockerOptions();
            using var endpoints = new DockerEndpoints(Options.Create(options));
            var client = endpoints.Default.Client;
            if (!await ExistsAsync(client, Image) || !await ExistsAsync(client, HealthcheckImage) || !await ExistsAsync(client, NoShellImage))
            {
                await BuildImagesAsync(endpoints.DefaultUri);
            }
        }
        finally
        {
            BuildLock.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<bool> ExistsAsync(DockerClient client, string image)
    {
        try
        {
            await client.Images.InspectImageAsync(image);
            return true;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>The images are built one way only: by scripts/build-images.sh, on the engine the tests use.</summary>
    private static async Task BuildImagesAsync(string dockerHost)
    {
        var start = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(FindRepoFile(Path.Combine("scripts", "build-images.sh")));
        start.Environment["DOCKER_HOST"] = dockerHost;
        using var build = System.Diagnostics.Process.Start(start)!;
        Task<string> output = build.StandardOutput.ReadToEndAsync();
        Task<string> error = build.StandardError.ReadToEndAsync();
        await build.WaitForExitAsync();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/build-images.sh failed ({build.ExitCode}): {await error}{await output}");
        }
    }

    private static string FindRepoFile(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
    }
}

/// <summary>
/// An engine over the real Docker engine of DOCKER_HOST with short intervals and a private data directory.
/// Each test takes its own workflow ids; everything they made is removed afterwards, even when the test fails.
/// </summary>
public abstract class DockerTestBase : IClassFixture<DockerFixture>, IAsyncLifetime
{
    public const string Image = DockerFixture.Image;
    public const string TestTaskHub = "dwf-containers-tests";

    private readonly List<string> _workflowIds = [];
    private readonly List<DockerEndpoints> _endpoints = [];

    protected DockerTestBase()
    {
        DataDirectory = Directory.CreateTempSubdirectory("dwf-containers-tests-").FullName;
        Engine = NewEngine();
        Timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
    }

    protected string DataDirectory { get; }

    protected ContainerEngine Engine { get; }

    /// <summary>Bounds every Docker call of a test.</summary>
    protected CancellationTokenSource Timeout { get; }

    protected CancellationToken Ct => Timeout.Token;

    protected ContainerEngine NewEngine(Action<DockerOptions>? configure = null)
    {
        var options = new DockerOptions
        {
            DataDirectory = DataDirectory,
            PollIntervalMilliseconds = 50,
            MaxWaitSeconds = 30,
            StopGracePeriodSeconds = 1,
            RequestTimeoutSeconds = 20,
            PullTimeoutSeconds = 20,
            LogTailLines = 20,

            // Another deployment's reaper on the shared engine leaves these tests' containers alone, and theirs ours.
            TaskHub = TestTaskHub,

            // The engine these tests run on cannot start privileged containers.
            Privileged = false,
        };
        configure?.Invoke(options);
        var wrapped = Options.Create(options);
        var endpoints = new DockerEndpoints(wrapped);
        _endpoints.Add(endpoints);
        return new ContainerEngine(endpoints, new ContainerLogs(wrapped), wrapped);
    }

    /// <summary>A fresh workflow id, cleaned up after the test.</summary>
    protected string NewWorkflowId()
    {
        var id = $"test-{Guid.NewGuid():N}"[..21];
        _workflowIds.Add(id);
        return id;
    }

    protected static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    protected static ServiceDefinition Service(
        string name,
        IReadOnlyList<string>? command,
        HealthcheckDefinition? health = null,
        RestartPolicy? restart = null,
        TimeSpan? startupTimeout = null,
        string image = Image,
        IReadOnlyDictionary<string, string>? labels = null) =>
        new(name, "", image, labels ?? new Dictionary<string, string>(), new Dictionary<string, string>(), [], command, health,
            restart ?? RestartPolicy.No, startupTimeout ?? TimeSpan.FromMinutes(1));

    protected static HealthcheckDefinition Health(string shell, int retries = 3) =>
        new(["CMD-SHELL", shell], TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), retries, null, false);

    protected static TaskContext Task(
        string name = "task",
        IReadOnlyList<string>? volumes = null,
        IReadOnlyDictionary<string, string>? environment = null) =>
        new(name, "", volumes ?? [], environment ?? new Dictionary<string, string>());

    protected static ActionDefinition Action(
        string name,
        string shell,
        IReadOnlyList<string>? volumes = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string image = Image) =>
        new(name, image, null, ["sh", "-c", shell], environment ?? new Dictionary<string, string>(), volumes ?? [], null, null, null, 0);

    /// <summary>Starts an action and waits for it to end (bounded by the test's timeout).</summary>
    protected async Task<ActionWaitResult> RunActionAsync(string workflowId, TaskContext task, ActionDefinition action, int attempt = 1)
    {
        var started = await Engine.StartActionAsync(new StartActionInput(workflowId, task, action, attempt, ContainerRole.Action), Ct);
        while (true)
        {
            var result = await Engine.WaitActionAsync(new WaitActionInput(workflowId, "", started.ContainerId, null, TimeSpan.FromSeconds(20)), Ct);
            if (result.State != ActionRunState.Running)
            {
                return result;
            }
        }
    }

    /// <summary>Waits for a service until it is ready or has failed (calling again while Pending).</summary>
    protected async Task<ServiceReadiness> AwaitServiceAsync(string workflowId, ServiceDefinition service, string containerId)
    {
        while (true)
        {
            var readiness = await Engine.AwaitServiceHealthyAsync(new AwaitServiceHealthyInput(workflowId, service, containerId), Ct);
            if (!readiness.Pending)
            {
                return readiness;
            }
        }
    }

    /// <summary>The containers labelled with a workflow id on the default endpoint.</summary>
    protected async Task<IList<ContainerListResponse>> ContainersOfAsync(string workflowId) =>
        await Engine.Endpoints.Default.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.WorkflowId}={workflowId}"] = true },
            },
        }, Ct);

    public Task InitializeAsync() => System.Threading.Tasks.Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var id in _workflowIds)
        {
            try
            {
                await Engine.CleanupWorkflowAsync(new CleanupWorkflowInput(id, []), cts.Token);
            }
            catch (ContainerEngineException)
            {
                // Best effort: the test itself reports what went wrong.
            }
        }

        foreach (var endpoints in _endpoints)
        {
            endpoints.Dispose();
        }

        Timeout.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
