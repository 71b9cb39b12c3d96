using System.ComponentModel;
using System.Globalization;

namespace DurableWorkflows.Containers;

/// <summary>
/// The container engine's settings, bound from <c>DurableWorkflows:Docker</c> (host.json); <see cref="DataDirectory"/>
/// comes from <c>DurableWorkflows:DataDirectory</c>.
/// </summary>
public sealed class DockerOptions
{
    public const string SectionName = "DurableWorkflows:Docker";
    public const string DataDirectoryKey = "DurableWorkflows:DataDirectory";
    public const string TaskHubKey = "DurableWorkflows:TaskHub";
    public const string DefaultDataDirectory = "~/.local/share/durableworkflows";
    public const string LocalSocket = "unix:///var/run/docker.sock";

    /// <summary>The endpoint of workers without their own; null means <c>DOCKER_HOST</c>, else the local socket.</summary>
    public string? DefaultEndpoint { get; set; }

    /// <summary>Worker name to endpoint: a string (<c>unix://…</c>, <c>tcp://host:2376</c>) or an object with TLS paths.</summary>
    public Dictionary<string, DockerEndpointOptions> Workers { get; set; } = new(StringComparer.Ordinal);

    /// <summary><c>default</c>: a worker not in <see cref="Workers"/> uses the default endpoint; <c>error</c>: it is an error; <c>agent</c>: an agent with the worker's name as its ID serves it.</summary>
    public string UnknownWorkers { get; set; } = UnknownWorkerPolicies.Default;

    /// <summary>
    /// The workers of <paramref name="workers"/> that agents serve, each mapped to its agent's ID (the worker's name):
    /// those configured as <c>"agent"</c>, and every unconfigured one when <see cref="UnknownWorkers"/> is <c>agent</c>.
    /// </summary>
    public Dictionary<string, string> AgentWorkers(IEnumerable<string> workers) =>
        workers.Distinct(StringComparer.Ordinal)
            .Where(w => Workers.TryGetValue(w, out var configured) ? configured.IsAgent : UnknownWorkers == UnknownWorkerPolicies.Agent)
            .ToDictionary(w => w, w => w, StringComparer.Ordinal);

    /// <summary><c>if-missing</c>, <c>always</c> or <c>never</c>.</summary>
    public string PullPolicy { get; set; } = PullPolicies.IfMissing;

    public string NetworkMode { get; set; } = "host";

    /// <summary>Actions run privileged, as Tinkerbell runs them.</summary>
    public bool Privileged { get; set; } = true;

    /// <summary>
    /// Run Docker's init as PID 1 of every service container (<c>docker run --init</c>): it forwards signals and reaps
    /// zombies, so a stop ends a server such as busybox httpd at once instead of after the grace period.
    /// </summary>
    public bool Init { get; set; } = true;

    /// <summary>
    /// Run Docker's init as PID 1 of action and handler containers too. Off by default, as Tinkerbell's workers run
    /// actions: an action's timeout kills it (SIGKILL) whatever its PID 1, only a cancel stops it with the grace period,
    /// and the init process costs every short action about 10 ms of its run (docs/BENCHMARKS.md).
    /// </summary>
    public bool ActionInit { get; set; }

    /// <summary>
    /// Start the container of an action prepared ahead (the next one, while the one before it runs) ahead too, with a
    /// waiter as its first process (the image's <c>/bin/sh</c> reading a line from the stdin this process holds), and
    /// release it into the action's own command when the action's turn comes: the action then runs at once instead of
    /// after Docker's start of its container (about 100 ms here). An image without <c>/bin/sh</c> is started at its turn,
    /// as with this off. Turn it off while a cluster runs nodes of a version without it.
    /// </summary>
    public bool StartAhead { get; set; } = true;

    /// <summary>Host paths (and what lies below them) that bind mounts may use; empty allows every path.</summary>
    public List<string> AllowedHostPaths { get; set; } = [];

    public int StopGracePeriodSeconds { get; set; } = 10;

    /// <summary>The longest one wait activity runs before it returns "not yet" (activity locks are not renewed).</summary>
    public int MaxWaitSeconds { get; set; } = 30;

    public int ReaperPeriodSeconds { get; set; } = 30;

    /// <summary>How often a waiting service is inspected; ready is seen within this of Docker reporting it.</summary>
    public int PollIntervalMilliseconds { get; set; } = 50;

    /// <summary>The bound of one ordinary Docker API call (connect included).</summary>
    public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>The bound of one image pull.</summary>
    public int PullTimeoutSeconds { get; set; } = 600;

    /// <summary>How many log lines results and errors carry.</summary>
    public int LogTailLines { get; set; } = 50;

    /// <summary>Logs and per-workflow folders live here; a leading <c>~</c> is the user's home.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory;

    /// <summary>
    /// The task hub of the server (from <c>DurableWorkflows:TaskHub</c>): containers carry it as a label, and the reaper
    /// removes only containers of its own hub, so deployments sharing a Docker engine leave each other's containers alone.
    /// </summary>
    public string? TaskHub { get; set; }

    /// <summary>Set by <c>dwf agent</c>: the agent whose containers these are (their <c>io.durableworkflows.agent</c> label).</summary>
    public string? AgentId { get; set; }

    public TimeSpan StopGracePeriod => TimeSpan.FromSeconds(StopGracePeriodSeconds);
    public TimeSpan MaxWait => TimeSpan.FromSeconds(MaxWaitSeconds);
    public TimeSpan ReaperPeriod => TimeSpan.FromSeconds(ReaperPeriodSeconds);
    public TimeSpan PollInterval => TimeSpan.FromMilliseconds(PollIntervalMilliseconds);
    public TimeSpan RequestTimeout => TimeSpan.FromSeconds(RequestTimeoutSeconds);
    public TimeSpan PullTimeout => TimeSpan.FromSeconds(PullTimeoutSeconds);

    /// <summary><see cref="DataDirectory"/> with a leading <c>~</c> expanded, as a full path.</summary>
    public string ResolvedDataDirectory => Path.GetFullPath(ExpandHome(DataDirectory));

    internal static string ExpandHome(string path)
    {
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }

            return home + path[1..];
        }

        return path;
    }
}

public static class PullPolicies
{
    public const string IfMissing = "if-missing";
    public const string Always = "always";
    public const string Never = "never";
}

public static class UnknownWorkerPolicies
{
    public const string Default = "default";
    public const string Error = "error";

    /// <summary>A worker not in <see cref="DockerOptions.Workers"/> is served by an agent whose ID is the worker's name.</summary>
    public const string Agent = "agent";
}

/// <summary>One Docker endpoint. In configuration either a plain string (the endpoint) or an object.</summary>
[TypeConverter(typeof(DockerEndpointOptionsConverter))]
public sealed class DockerEndpointOptions
{
    /// <summary>The value of <see cref="Endpoint"/> for a worker served by an agent that dials the server (its ID is the worker's name).</summary>
    public const string AgentEndpoint = "agent";

    /// <summary><c>unix:///path/docker.sock</c> or <c>tcp://host:port</c>; <c>agent</c>: an agent serves the worker.</summary>
    public string Endpoint { get; set; } = "";

    /// <summary>True when an agent, not a Docker endpoint, serves the worker.</summary>
    public bool IsAgent => string.Equals(Endpoint, AgentEndpoint, StringComparison.OrdinalIgnoreCase);

    /// <summary>PEM client certificate (with <see cref="TlsKeyPath"/>): the endpoint is reached over TLS.</summary>
    public string? TlsCertPath { get; set; }

    public string? TlsKeyPath { get; set; }

    /// <summary>PEM CA the server's certificate must chain to; without it the system's trust store decides.</summary>
    public string? TlsCaPath { get; set; }

    /// <summary>This worker's network mode; null uses <see cref="DockerOptions.NetworkMode"/>.</summary>
    public string? NetworkMode { get; set; }

    public override string ToString() => Endpoint;
}

/// <summary>Lets <c>"worker": "tcp://host:2376"</c> bind as an endpoint without TLS.</summary>
public sealed class DockerEndpointOptionsConverter : TypeConverter
{
    public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) =>
        sourceType == typeof(string) || base.CanConvertFrom(context, sourceType);

    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string s ? new DockerEndpointOptions { Endpoint = s } : base.ConvertFrom(context, culture, value);
}
