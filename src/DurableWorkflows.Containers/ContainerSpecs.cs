using Docker.DotNet.Models;
using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Containers;

/// <summary>One volume entry of a template: <c>source:target[:mode]</c> or an anonymous <c>target</c>.</summary>
public sealed record VolumeSpec(string Text, string? Source, string Target, string? Mode)
{
    /// <summary>True when the source is a host path (a bind mount), not a named volume.</summary>
    public bool IsBindMount => Source is not null && (Source.StartsWith('/') || Source.StartsWith('~') || Source.StartsWith('.'));

    public static VolumeSpec Parse(string text)
    {
        var parts = text.Split(':');
        return parts.Length switch
        {
            1 => new VolumeSpec(text, null, parts[0], null),
            2 => new VolumeSpec(text, parts[0], parts[1], null),
            3 => new VolumeSpec(text, parts[0], parts[1], parts[2]),
            _ => throw new ContainerEngineException($"volume '{text}' is not of the form host:container[:ro]"),
        };
    }
}

/// <summary>How template settings become Docker settings: merging, health checks, the bind-mount allow-list.</summary>
public static class ContainerSpecs
{
    /// <summary>The task's environment, then the action's on top, as Docker's <c>K=V</c> list (sorted by key).</summary>
    public static IList<string> MergeEnvironment(IReadOnlyDictionary<string, string> task, IReadOnlyDictionary<string, string> action)
    {
        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in task)
        {
            merged[k] = v;
        }

        foreach (var (k, v) in action)
        {
            merged[k] = v;
        }

        return merged.Select(kv => $"{kv.Key}={kv.Value}").ToList();
    }

    /// <summary>The task's volumes and the action's; for the same container path the action's wins.</summary>
    public static IReadOnlyList<VolumeSpec> MergeVolumes(IEnumerable<string> task, IEnumerable<string> action)
    {
        var byTarget = new Dictionary<string, VolumeSpec>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var text in task.Concat(action))
        {
            var spec = VolumeSpec.Parse(text);
            var target = spec.Target.TrimEnd('/');
            if (target.Length == 0)
            {
                target = "/";
            }

            if (!byTarget.ContainsKey(target))
            {
                order.Add(target);
            }

            byTarget[target] = spec;
        }

        return order.Select(t => byTarget[t]).ToList();
    }

    /// <summary>
    /// Throws naming the volume and its host path when a bind mount's host path is outside <paramref name="allowed"/>
    /// (an empty list allows every path).
    /// </summary>
    public static void CheckAllowed(IEnumerable<VolumeSpec> volumes, IReadOnlyList<string> allowed, string owner)
    {
        if (allowed.Count == 0)
        {
            return;
        }

        var roots = allowed.Select(a => Path.TrimEndingDirectorySeparator(Path.GetFullPath(DockerOptions.ExpandHome(a)))).ToList();
        foreach (var volume in volumes.Where(v => v.IsBindMount))
        {
            var host = Path.TrimEndingDirectorySeparator(Path.GetFullPath(DockerOptions.ExpandHome(volume.Source!)));
            var ok = roots.Any(r => host == r || host.StartsWith(r == "/" ? r : r + "/", StringComparison.Ordinal));
            if (!ok)
            {
                throw new ContainerEngineException(
                    $"{owner}: volume '{volume.Text}' mounts host path '{host}', which is not allowed by " +
                    $"{DockerOptions.SectionName}:AllowedHostPaths [{string.Join(", ", allowed)}].");
            }
        }
    }

    /// <summary>Docker's bind strings: host paths with a leading <c>~</c> expanded.</summary>
    public static List<string> Binds(IEnumerable<VolumeSpec> volumes) =>
        volumes.Select(v => v.Source is null
                ? v.Target
                : string.Join(':', new[] { v.IsBindMount ? DockerOptions.ExpandHome(v.Source) : v.Source, v.Target, v.Mode }.Where(p => p is not null)))
            .ToList();

    /// <summary>
    /// docker compose's healthcheck as Docker's: <c>disable</c> is <c>["NONE"]</c>; a test not starting with
    /// CMD / CMD-SHELL / NONE is a shell command when it is one string, else an exec form. Null keeps the image's.
    /// </summary>
    public static HealthConfig? Healthcheck(HealthcheckDefinition? health)
    {
        if (health is null)
        {
            return null;
        }

        if (health.Disable)
        {
            return new HealthConfig { Test = ["NONE"] };
        }

        IList<string>? test = health.Test switch
        {
            null or { Count: 0 } => null,
            [var first, ..] when first is "CMD" or "CMD-SHELL" or "NONE" => health.Test.ToList(),
            [var only] => ["CMD-SHELL", only],
            _ => ["CMD", .. health.Test],
        };

        return new HealthConfig
        {
            Test = test,
            Interval = health.Interval ?? TimeSpan.Zero,
            Timeout = health.Timeout ?? TimeSpan.Zero,
            Retries = health.Retries ?? 0,
            StartPeriod = health.StartPeriod is { } p ? p.Ticks * 100 : 0,
        };
    }

    /// <summary>Docker's restart policy for a service.</summary>
    public static Docker.DotNet.Models.RestartPolicy Restart(Core.Templates.RestartPolicy policy) =>
        policy.Mode == RestartMode.OnFailure
            ? new Docker.DotNet.Models.RestartPolicy { Name = RestartPolicyKind.OnFailure, MaximumRetryCount = policy.MaxRetries }
            : new Docker.DotNet.Models.RestartPolicy { Name = RestartPolicyKind.No };
}
