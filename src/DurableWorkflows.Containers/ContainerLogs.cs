using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableWorkflows.Core.Contracts;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Containers;

/// <summary>One container's output (stdout and stderr interleaved as they arrived).</summary>
public sealed record ContainerLog(string ContainerName, string Text);

/// <summary>
/// Container logs: read from Docker (demultiplexed), kept under <c>{DataDirectory}/logs/{workflowId}/{containerName}.log</c>
/// when a container ends, and read back from there later.
/// </summary>
public sealed class ContainerLogs
{
    /// <summary>The attempts <see cref="Read(string, string, string)"/> looks for, from 0.</summary>
    public const int MaxAttempts = 100;

    private readonly DockerOptions _options;

    public ContainerLogs(IOptions<DockerOptions> options) => _options = options.Value;

    public string WorkflowDirectory(string workflowId) =>
        Path.Combine(_options.ResolvedDataDirectory, "logs", ContainerNames.SafeFileName(workflowId));

    public string PathOf(string workflowId, string containerName) =>
        Path.Combine(WorkflowDirectory(workflowId), containerName + ".log");

    /// <summary>Saves a container's whole output; replaces an earlier copy.</summary>
    public async Task SaveAsync(DockerEndpoint endpoint, string containerId, string workflowId, string containerName, CancellationToken cancellationToken)
    {
        var path = PathOf(workflowId, containerName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await using (var file = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            await endpoint.CallAsync((c, ct) => CopyAsync(c, containerId, null, file, ct), cancellationToken);
        }

        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Whether a copy of the container's output is saved.</summary>
    public bool IsSaved(string workflowId, string containerName) => File.Exists(PathOf(workflowId, containerName));

    /// <summary>Keeps an output that came from elsewhere (an agent's upload) as a container's log; replaces an earlier copy.</summary>
    public async Task SaveTextAsync(string workflowId, string containerName, string text, CancellationToken cancellationToken)
    {
        var path = PathOf(workflowId, containerName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = $"{path}.{Guid.NewGuid():N}.tmp";
        await File.WriteAllTextAsync(temp, text, cancellationToken);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The last <paramref name="lines"/> lines of a container's output.</summary>
    public static async Task<IReadOnlyList<string>> TailAsync(DockerEndpoint endpoint, string containerId, int lines, CancellationToken cancellationToken)
    {
        if (lines <= 0)
        {
            return [];
        }

        using var buffer = new MemoryStream();
        await endpoint.CallAsync((c, ct) => CopyAsync(c, containerId, lines, buffer, ct), cancellationToken);
        return LastLines(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), lines);
    }

    /// <summary>The last <paramref name="lines"/> lines of a saved log (its last 256 KiB read), or null when none is saved.</summary>
    public IReadOnlyList<string>? SavedTail(string workflowId, string containerName, int lines)
    {
        const int Window = 256 * 1024;
        try
        {
            using var file = new FileStream(PathOf(workflowId, containerName), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            long from = Math.Max(0, file.Length - Window);
            file.Seek(from, SeekOrigin.Begin);
            var buffer = new byte[file.Length - from];
            file.ReadExactly(buffer);
            string text = Encoding.UTF8.GetString(buffer);
            // A window that starts inside a line drops that line's part.
            return LastLines(from > 0 && text.IndexOf('\n') is var nl and >= 0 ? text[(nl + 1)..] : text, lines);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>A container's whole output, from Docker.</summary>
    public static async Task<string> ReadTextAsync(DockerEndpoint endpoint, string containerId, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await endpoint.CallAsync((c, ct) => CopyAsync(c, containerId, null, buffer, ct), cancellationToken);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The saved logs of an action (every attempt and handler, in order).</summary>
    public IReadOnlyList<ContainerLog> Read(string workflowId, string task, string action)
    {
        var result = new List<ContainerLog>();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            AddIfSaved(result, workflowId, ContainerNames.Action(workflowId, task, action, attempt, ContainerRole.Action));
            AddIfSaved(result, workflowId, ContainerNames.Action(workflowId, task, action, attempt, ContainerRole.Handler));
        }

        return result;
    }

    /// <summary>The saved log of a service.</summary>
    public IReadOnlyList<ContainerLog> Read(string workflowId, string service)
    {
        var result = new List<ContainerLog>();
        AddIfSaved(result, workflowId, ContainerNames.Service(workflowId, service));
        return result;
    }

    /// <summary>Every saved log of a workflow, by container name.</summary>
    public IReadOnlyList<ContainerLog> ReadAll(string workflowId)
    {
        var dir = WorkflowDirectory(workflowId);
        if (!Directory.Exists(dir))
        {
            return [];
        }

        return Directory.GetFiles(dir, "*.log")
            .Order(StringComparer.Ordinal)
            .Select(f => new ContainerLog(Path.GetFileNameWithoutExtension(f), File.ReadAllText(f)))
            .ToList();
    }

    internal static IReadOnlyList<string> LastLines(string text, int lines)
    {
        var all = text.Split('\n');
        var count = all.Length;
        if (count > 0 && all[count - 1].Length == 0)
        {
            count--;
        }

        return all.Take(count).Skip(Math.Max(0, count - lines)).Select(l => l.TrimEnd('\r')).ToList();
    }

    private static async Task<bool> CopyAsync(DockerClient client, string containerId, int? tail, Stream destination, CancellationToken cancellationToken)
    {
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Follow = false,
            Tail = tail?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all",
        };
        using var stream = await client.Containers.GetContainerLogsAsync(containerId, tty: false, parameters, cancellationToken);
        var buffer = new byte[81920];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
            if (read.EOF)
            {
                return true;
            }

            await destination.WriteAsync(buffer.AsMemory(0, read.Count), cancellationToken);
        }
    }

    private void AddIfSaved(List<ContainerLog> result, string workflowId, string containerName)
    {
        var path = PathOf(workflowId, containerName);
        if (File.Exists(path))
        {
            result.Add(new ContainerLog(containerName, File.ReadAllText(path)));
        }
    }
}
