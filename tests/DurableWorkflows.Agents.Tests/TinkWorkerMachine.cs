using System.Diagnostics;
using System.IO.Compression;
using System.Net;

namespace DurableWorkflows.Agents.Tests;

/// <summary>
/// A machine as older HookOS images make it: Tinkerbell's own tink-worker (v0.9.0, the binary in <c>TinkWorker/</c>,
/// see its LICENSE) dialing the server's legacy endpoint, on the test Docker engine, pulling its images from a local
/// registry (Debian's <c>docker-registry</c> on a loopback port, the test images pushed to it) as it always pulls.
/// </summary>
public sealed class TinkWorkerMachine : AgentServer
{
    private readonly string home = Directory.CreateTempSubdirectory("dwf-tink-worker-").FullName;
    private DwfProcessRun? registry;

    /// <summary>The worker's ID (its MAC), as it dials.</summary>
    public string WorkerId { get; } = NewMac();

    public DwfProcessRun Worker { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        int registryPort = DwfProcessRun.FreePort();
        string config = Path.Combine(home, "registry.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Combine(home, "registry")}
            http:
              addr: 127.0.0.1:{registryPort}
            """);
        registry = DwfProcessRun.StartProgram("docker-registry", home, new Dictionary<string, string>(), "serve", config);
        await WaitForRegistryAsync(registryPort);
        string pushed = $"127.0.0.1:{registryPort}/dwf-busybox:latest";
        await DockerAsync("tag", "dwf-busybox:latest", pushed);
        await DockerAsync("push", pushed);

        string binary = Path.Combine(home, "tink-worker");
        await using (FileStream packed = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "TinkWorker", "tink-worker.gz")))
        await using (var unpacked = new GZipStream(packed, CompressionMode.Decompress))
        await using (FileStream file = File.Create(binary))
        {
            await unpacked.CopyToAsync(file);
        }

        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("tink-worker is a Linux program");
        }

        File.SetUnixFileMode(binary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Worker = DwfProcessRun.StartProgram(binary, home, new Dictionary<string, string>
        {
            ["ID"] = WorkerId,
            ["TINKERBELL_GRPC_AUTHORITY"] = $"127.0.0.1:{WorkerPort}",
            ["TINKERBELL_TLS"] = "false",
            ["DOCKER_REGISTRY"] = $"127.0.0.1:{registryPort}",
            ["DOCKER_HOST"] = DockerHost,
            // As the engine's own set-up runs actions on an engine that refuses privileged containers.
            ["TINK_WORKER_PRIVILEGED"] = "false",
            ["RETRY_INTERVAL"] = "1s",
        });
        await Worker.WaitForOutputAsync("starting to process workflow actions", CancellationToken.None);
    }

    public override async Task DisposeAsync()
    {
        Worker?.Dispose();
        registry?.Dispose();
        await base.DisposeAsync();
        Directory.Delete(home, recursive: true);
    }

    /// <summary>The folder tink-worker gives a workflow's actions as <c>/workflow</c>: <c>/worker/ID</c> on its engine's host.</summary>
    public static string WorkflowFolder(string workflowId) => Path.Combine("/worker", workflowId);

    private static async Task WaitForRegistryAsync(int port)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                using HttpResponseMessage response = await http.GetAsync($"http://127.0.0.1:{port}/v2/", bound.Token);
                if (response.StatusCode == HttpStatusCode.OK)
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

    private async Task DockerAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOCKER_HOST"] = DockerHost;
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process docker = Process.Start(start)!;
        string output = await docker.StandardOutput.ReadToEndAsync() + await docker.StandardError.ReadToEndAsync();
        await docker.WaitForExitAsync();
        Assert.True(docker.ExitCode == 0, $"docker {string.Join(' ', arguments)}: {output}");
    }
}
