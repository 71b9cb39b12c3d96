using Docker.DotNet;
using Docker.DotNet.Models;

namespace DurableWorkflows.Containers;

/// <summary>
/// The output of a container that has not started yet, attached before its start and copied as it comes into a file
/// beside its saved log; <see cref="Keep"/> makes that file the saved log once the output has ended. Docker closes an
/// attached output as the container's process exits (with its <c>die</c> event), while its logs, inspect and wait
/// answer only after Docker's exit handling, 6-15 ms later: so a short action's whole output is had at its end.
/// Best effort: whatever goes wrong leaves nothing behind, and the caller reads Docker's logs as before.
/// </summary>
public sealed class AttachedOutput : IAsyncDisposable
{
    /// <summary>A line longer than this is written in parts (Docker's own log splits its lines at 16 KiB).</summary>
    private const int LongestLine = 16 * 1024;

    private readonly MultiplexedStream _stream;
    private readonly string _temp;
    private readonly string _path;
    private readonly CancellationTokenSource _stop = new();
    private bool _kept;

    private AttachedOutput(MultiplexedStream stream, string temp, string path)
    {
        _stream = stream;
        _temp = temp;
        _path = path;
        Ended = CopyAsync();
    }

    /// <summary>Completes when the output has ended (the container's process exited); faults when the copy failed.</summary>
    public Task Ended { get; }

    /// <summary>Attaches to the output (stdout and stderr) of a created container; null when Docker refuses or cannot be reached.</summary>
    public static async Task<AttachedOutput?> AttachAsync(
        DockerEndpoint endpoint, string containerId, string logPath, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
            var parameters = new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true };
            var stream = await endpoint.CallAsync((c, ct) => c.Containers.AttachContainerAsync(containerId, tty: false, parameters, ct), cancellationToken);
            return new AttachedOutput(stream, $"{logPath}.{Guid.NewGuid():N}.tmp", logPath);
        }
        catch (Exception e) when (e is DockerApiException or ContainerEngineException or IOException or UnauthorizedAccessException or HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Makes the copy the container's saved log (replacing an earlier one); false unless the output ended and was copied whole.</summary>
    public bool Keep()
    {
        if (!Ended.IsCompletedSuccessfully)
        {
            return false;
        }

        File.Move(_temp, _path, overwrite: true);
        _kept = true;
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _stream.Dispose();
        try
        {
            // Closing the stream ends the copy at once; bounded all the same, a wait must never hang on it.
            await Ended.WaitAsync(TimeSpan.FromSeconds(1));
            _stop.Dispose();
        }
        catch (Exception)
        {
            // However the copy ended (cut short, the connection gone, or still going after the bound), disposing goes on.
        }

        if (!_kept)
        {
            File.Delete(_temp);
        }
    }

    private async Task CopyAsync()
    {
        await using var file = new FileStream(_temp, FileMode.Create, FileAccess.Write, FileShare.Read, 4096, useAsync: true);
        // Whole lines, as Docker's own log keeps them: stdout's and stderr's chunks come as they were read from their
        // pipes, and a line of one must not be cut by a line of the other.
        var pending = new Dictionary<MultiplexedStream.TargetStream, MemoryStream>
        {
            [MultiplexedStream.TargetStream.StandardOut] = new(),
            [MultiplexedStream.TargetStream.StandardError] = new(),
        };
        var buffer = new byte[81920];
        while (true)
        {
            var read = await _stream.ReadOutputAsync(buffer, 0, buffer.Length, _stop.Token);
            if (read.EOF)
            {
                foreach (var rest in pending.Values)
                {
                    await file.WriteAsync(rest.GetBuffer().AsMemory(0, (int)rest.Length), _stop.Token);
                }

                return;
            }

            if (read.Count == 0 || !pending.TryGetValue(read.Target, out var line))
            {
                continue;
            }

            line.Write(buffer, 0, read.Count);
            int whole = Array.LastIndexOf(line.GetBuffer(), (byte)'\n', (int)line.Length - 1) + 1;
            if (whole == 0 && line.Length < LongestLine)
            {
                continue;
            }

            int count = whole == 0 ? (int)line.Length : whole;
            await file.WriteAsync(line.GetBuffer().AsMemory(0, count), _stop.Token);
            var left = line.GetBuffer().AsSpan(count, (int)line.Length - count).ToArray();
            line.SetLength(0);
            line.Write(left);
        }
    }
}
