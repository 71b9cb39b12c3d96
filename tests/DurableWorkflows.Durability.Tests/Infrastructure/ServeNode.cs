using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace DurableWorkflows.Durability.Tests.Infrastructure;

/// <summary>
/// One <c>dwf serve --backend azurestorage</c> as a real process: the dwf.dll built with this test assembly, run by
/// <c>dotnet</c>, on its own loopback ports, with the task hub, worker id and data directory it is given.
/// <see cref="Kill"/> sends SIGKILL: nothing of the process gets to run after it.
/// </summary>
public sealed class ServeNode : IDisposable
{
    /// <summary>Azurite, as scripts/azurite-up.sh starts it.</summary>
    public const string StorageConnection = "UseDevelopmentStorage=true";

    private readonly StringBuilder output = new();
    private readonly IReadOnlyDictionary<string, string> settings;
    private Process? process;

    /// <param name="settings">More configuration, by key (<c>DurableWorkflows:Docker:MaxWaitSeconds</c>), given to
    /// the process as environment variables.</param>
    public ServeNode(string taskHub, string workerId, string dataDirectory, int reaperPeriodSeconds = 30, IReadOnlyDictionary<string, string>? settings = null)
    {
        TaskHub = taskHub;
        WorkerId = workerId;
        DataDirectory = dataDirectory;
        ReaperPeriodSeconds = reaperPeriodSeconds;
        this.settings = settings ?? new Dictionary<string, string>();
        ApiPort = FreePort();
        SidecarPort = FreePort();
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ApiPort}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public string TaskHub { get; }

    public string WorkerId { get; }

    public string DataDirectory { get; }

    public int ReaperPeriodSeconds { get; }

    public int ApiPort { get; }

    public int SidecarPort { get; }

    public HttpClient Http { get; }

    /// <summary>Everything the process wrote (stdout and stderr), across its starts.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public bool IsRunning => process is { HasExited: false };

    /// <summary>Starts the process and waits (bounded) until its API answers /healthz.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Assert.False(IsRunning, "the node is already running");
        string dwf = Path.Combine(AppContext.BaseDirectory, "dwf.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
        Directory.CreateDirectory(DataDirectory);
        var start = new ProcessStartInfo(dotnet)
        {
            WorkingDirectory = DataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])[
            dwf, "serve",
            "--backend", "azurestorage",
            "--storage-connection", StorageConnection,
            "--task-hub", TaskHub,
            "--worker-id", WorkerId,
            "--urls", $"http://127.0.0.1:{ApiPort}",
            "--sidecar-port", SidecarPort.ToString(CultureInfo.InvariantCulture)])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DurableWorkflows__DataDirectory"] = DataDirectory;
        start.Environment["DurableWorkflows__Docker__ReaperPeriodSeconds"] = ReaperPeriodSeconds.ToString(CultureInfo.InvariantCulture);
        // The private engine of the tests may refuse privileged containers; the container tests cover that flag.
        start.Environment["DurableWorkflows__Docker__Privileged"] = "false";
        start.Environment["DurableWorkflows__Docker__StopGracePeriodSeconds"] = "1";
        start.Environment["DurableWorkflows__Docker__PullPolicy"] = "never";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var started = new Process { StartInfo = start };
        started.OutputDataReceived += (_, e) => Append(e.Data);
        started.ErrorDataReceived += (_, e) => Append(e.Data);
        Append($"--- {DateTimeOffset.UtcNow:O} starting {WorkerId}");
        started.Start();
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;

        while (true)
        {
            Assert.False(started.HasExited, $"dwf serve ({WorkerId}) exited with {(started.HasExited ? started.ExitCode : 0)}:\n{Output}");
            try
            {
                using HttpResponseMessage health = await Http.GetAsync("/healthz", cancellationToken);
                if (health.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            try
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"dwf serve ({WorkerId}) did not answer /healthz in time:\n{Output}");
            }
        }
    }

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public void Kill()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill(entireProcessTree: true);
            running.WaitForExit(10_000);
            Append($"--- {DateTimeOffset.UtcNow:O} killed {WorkerId}");
        }
    }

    public void Dispose()
    {
        Kill();
        process?.Dispose();
        Http.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
