using System.Collections.Concurrent;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers;

/// <summary>
/// The action containers this process started ahead of their turn (<see cref="DockerOptions.StartAhead"/>), by name.
/// Such a container's first process is a waiter: the image's <c>/bin/sh</c> reading one line from its stdin, which this
/// process holds attached; writing that line releases it into the action's own command (<c>exec</c>, so the action is
/// its PID 1, as when started at its turn). When the holder goes (this process ends, its attach breaks) the container's
/// stdin closes (<c>StdinOnce</c>): the waiter exits <see cref="NotReleasedExitCode"/> with <see cref="NotReleasedMessage"/>
/// and the action never ran. A release is made once only. Only an order of work in one process: another process that
/// meets a held container replaces it or adopts it (ContainerEngine.StartAhead.cs).
/// </summary>
internal sealed class HeldStarts : IDisposable
{
    /// <summary>The waiter's name (its <c>$0</c>): how a running container shows it still waits (Docker's top).</summary>
    public const string WaiterName = "dwf-held-waiter";

    public const int NotReleasedExitCode = 125;

    public const string NotReleasedMessage = "dwf: this container was started ahead of its action and never released: the action did not run";

    /// <summary>
    /// The waiter, given the action's command as its arguments. As PID 1 a shell ignores SIGTERM unless it traps it: the
    /// trap makes a stop (the cleanup's) end it at once; <c>exec</c> resets it, so the action gets SIGTERM as it would.
    /// </summary>
    public static readonly string Waiter =
        $"trap 'exit 143' TERM; IFS= read -r go && [ \"$go\" = go ] && exec \"$@\"; echo '{NotReleasedMessage}' >&2; exit {NotReleasedExitCode}";

    private static readonly byte[] Go = "go\n"u8.ToArray();

    private readonly ConcurrentDictionary<string, Hold> _byName = new(StringComparer.Ordinal);

    /// <summary>Whether a container was made to be started ahead (its label).</summary>
    public static bool IsHeld([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] ContainerInspectResponse? container) =>
        container?.Config?.Labels is { } labels && labels.ContainsKey(ContainerLabels.Held);

    /// <summary>A hold of the container <paramref name="name"/> begins; null when this process has one already.</summary>
    public Hold? Begin(string name)
    {
        var hold = new Hold(this, name);
        return _byName.TryAdd(name, hold) ? hold : null;
    }

    /// <summary>This process's hold of <paramref name="name"/> once it is made, or null when there is none (or it was not made).</summary>
    public async Task<Hold?> OwnAsync(string name, CancellationToken cancellationToken)
    {
        if (!_byName.TryGetValue(name, out var hold))
        {
            return null;
        }

        return await hold.Made.WaitAsync(cancellationToken) ? hold : null;
    }

    /// <summary>Lets go of every hold: each waiter ends unreleased.</summary>
    public void Dispose()
    {
        foreach (var hold in _byName.Values)
        {
            hold.Complete(made: false);
        }
    }

    private void Forget(Hold hold) => _byName.TryRemove(KeyValuePair.Create(hold.Name, hold));

    /// <summary>One container's hold: made once its waiter runs with this process attached to its stdin.</summary>
    public sealed class Hold(HeldStarts owner, string name)
    {
        private readonly TaskCompletionSource<bool> _made = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private MultiplexedStream? _stream;
        private int _released;

        public string Name { get; } = name;

        public string Id { get; private set; } = "";

        public Task<bool> Made => _made.Task;

        /// <summary>
        /// Attached to the container's stdin (and its stderr, whose end tells that the container ended, before the
        /// release); the hold is forgotten when that stream ends.
        /// </summary>
        public void Attached(string id, MultiplexedStream stream)
        {
            (Id, _stream) = (id, stream);
            _ = ForgetAtEndAsync(stream);
        }

        /// <summary>The waiter runs (or not: <paramref name="made"/> false, and the hold is let go).</summary>
        public void Complete(bool made)
        {
            if (!made)
            {
                Drop();
            }

            _made.TrySetResult(made);
        }

        /// <summary>
        /// Releases the container into its action's command, once; the time of the release, or null when the hold is
        /// gone (the container ended, the attach broke: the caller looks at the container).
        /// </summary>
        public async Task<DateTimeOffset?> ReleaseAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _released, 1) != 0 || _stream is not { } stream)
            {
                return null;
            }

            owner.Forget(this);
            try
            {
                await stream.WriteAsync(Go, 0, Go.Length, cancellationToken);
                var at = DateTimeOffset.UtcNow;
                stream.CloseWrite();
                return at;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                return null;
            }
            finally
            {
                stream.Dispose();
            }
        }

        private void Drop()
        {
            owner.Forget(this);
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _stream?.Dispose();
            }
        }

        private async Task ForgetAtEndAsync(MultiplexedStream stream)
        {
            var buffer = new byte[1024];
            try
            {
                while (!(await stream.ReadOutputAsync(buffer, 0, buffer.Length, CancellationToken.None)).EOF)
                {
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
            {
            }

            Drop();
        }
    }
}
