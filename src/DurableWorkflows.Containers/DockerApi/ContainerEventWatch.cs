using System.Collections.Concurrent;
using System.Globalization;
using Docker.DotNet.Models;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers.DockerApi;

/// <summary>
/// Docker's event stream of one endpoint, so a wait on a container (a service getting ready) wakes when Docker says
/// something changed (<c>start</c>, <c>health_status</c>, <c>die</c>, <c>restart</c>, <c>destroy</c>, ...) instead of
/// polling. One stream per endpoint, of this product's containers only (its workflow label), opened on the first
/// <see cref="Watch"/> and reopened after it breaks. The events are only a wake-up: the waiter inspects the container
/// and decides on what the inspect says, so an event lost or doubled costs time, never a wrong answer. Every
/// (re)connection asks Docker for the events since a second before it (Docker replays them) and wakes every waiter
/// once, so what happened while the stream was down or opening is looked at again.
/// </summary>
public sealed class ContainerEventWatch : IDisposable
{
    /// <summary>While the stream is up, a waiter still inspects this often (a check's streak grows without an event).</summary>
    public static readonly TimeSpan StreamingFallback = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);
    private static readonly string[] WakingEvents = ["start", "restart", "die", "oom", "destroy", "pause", "unpause", "health_status"];
    private readonly DockerEndpoint _endpoint;
    private readonly ConcurrentDictionary<string, Entry> _watched = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private Task? _loop;
    private volatile bool _streaming;

    internal ContainerEventWatch(DockerEndpoint endpoint) => _endpoint = endpoint;

    /// <summary>True while the stream is open: waiters then rely on it and inspect only every <see cref="StreamingFallback"/>.</summary>
    public bool Streaming => _streaming;

    /// <summary>How many events of watched containers woke their waiters (for the tests).</summary>
    public long Wakeups => Interlocked.Read(ref _wakeups);

    private long _wakeups;

    /// <summary>
    /// Starts watching a container (full id); dispose the watch when done. Take it before the first inspect.
    /// <paramref name="endsOnly"/>: wake only when it stops (<c>die</c>, <c>destroy</c>), as a wait on an action does.
    /// </summary>
    public Watcher Watch(string containerId, bool endsOnly = false)
    {
        Open();
        while (true)
        {
            Entry entry = _watched.GetOrAdd(containerId, _ => new Entry());
            lock (entry)
            {
                // The last watcher of that entry may have let it go in between: then take the one there now.
                if (_watched.TryGetValue(containerId, out Entry? current) && ReferenceEquals(current, entry))
                {
                    entry.Watchers++;
                    return new Watcher(this, containerId, entry, endsOnly);
                }
            }
        }
    }

    /// <summary>Opens the stream if it is not open yet (a watch does; a new process may do it sooner, to have it up when it is first needed).</summary>
    public void Open()
    {
        lock (_gate)
        {
            _loop ??= Task.Run(() => RunAsync(_stop.Token));
        }
    }

    /// <summary>Closes the stream (its token is left undisposed: the loop may still be reading it as it ends).</summary>
    public void Dispose() => _stop.Cancel();

    private void Release(string containerId, Entry entry)
    {
        lock (entry)
        {
            if (--entry.Watchers == 0)
            {
                _watched.TryRemove(new KeyValuePair<string, Entry>(containerId, entry));
            }
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var parameters = new ContainerEventsParameters
            {
                // A second or two back (whole seconds): an event of a watched container that came while the stream was opening is replayed.
                Since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["type"] = new Dictionary<string, bool> { ["container"] = true },
                    ["label"] = new Dictionary<string, bool> { [ContainerLabels.WorkflowId] = true },
                    // What can change a waiter's answer; not the exec events every health probe makes (Docker matches
                    // health_status to its "health_status: healthy" and "health_status: unhealthy").
                    ["event"] = WakingEvents.ToDictionary(e => e, _ => true),
                },
            };
            try
            {
                _streaming = true;
                WakeAll();
                await _endpoint.Client.System.MonitorEventsAsync(parameters, new Reporter(this), stop);
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // The engine went away or the stream broke: the waiters poll until it is back.
            }
            catch (Exception)
            {
                // Stopped (its endpoint went, and its client with it, which may fail the read another way).
                return;
            }
            finally
            {
                _streaming = false;
                WakeAll();
            }

            try
            {
                await Task.Delay(ReconnectDelay, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void OnEvent(Message message)
    {
        string action = message.Action ?? message.Status ?? "";
        if (message.Actor?.ID is not { } id || !_watched.TryGetValue(id, out Entry? entry))
        {
            return;
        }

        Interlocked.Increment(ref _wakeups);
        // A die carries the process's exit code: final, Docker records it before it tells (its inspect answers once the exit is handled).
        long? exitCode = action == "die" && message.Actor.Attributes?.TryGetValue("exitCode", out string? code) == true
            && long.TryParse(code, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed) ? parsed : null;
        entry.Wake(ends: action is "die" or "destroy", exitCode);
    }

    private void WakeAll()
    {
        foreach (Entry entry in _watched.Values)
        {
            entry.Wake(ends: true);
        }
    }

    private sealed class Reporter(ContainerEventWatch watch) : IProgress<Message>
    {
        public void Report(Message value) => watch.OnEvent(value);
    }

    internal sealed class Entry
    {
        public int Watchers;
        private long _version;
        private long _ends;
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The exit code of the last <c>die</c> event of the container, if one came.</summary>
        public long? DiedWith { get; private set; }

        public void Wake(bool ends, long? exitCode = null)
        {
            TaskCompletionSource woken;
            lock (this)
            {
                _version++;
                _ends += ends ? 1 : 0;
                DiedWith = exitCode ?? DiedWith;
                woken = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            woken.TrySetResult();
        }

        /// <summary>The count the watcher compares (every event, or the ends only), and the task the next event completes.</summary>
        public (long Count, Task Next) Read(bool endsOnly)
        {
            lock (this)
            {
                return (endsOnly ? _ends : _version, _changed.Task);
            }
        }
    }

    /// <summary>One waiter's watch of one container.</summary>
    public sealed class Watcher : IDisposable
    {
        private readonly ContainerEventWatch _watch;
        private readonly string _containerId;
        private readonly Entry _entry;
        private readonly bool _endsOnly;
        private long _seen;

        internal Watcher(ContainerEventWatch watch, string containerId, Entry entry, bool endsOnly)
        {
            _watch = watch;
            _containerId = containerId;
            _entry = entry;
            _endsOnly = endsOnly;
            _seen = entry.Read(endsOnly).Count;
        }

        /// <summary>
        /// Returns when an event of the container arrived since the last call (or since the watch began), or when
        /// <paramref name="bound"/> passes; the bound is cut to <paramref name="poll"/> while the stream is down and to
        /// <see cref="StreamingFallback"/> while it is up. True when an event woke it.
        /// </summary>
        public async Task<bool> NextAsync(TimeSpan bound, TimeSpan poll, CancellationToken cancellationToken)
        {
            DateTimeOffset end = DateTimeOffset.UtcNow + (_watch.Streaming ? Min(bound, StreamingFallback) : Min(bound, poll));
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task? delay = null;
            try
            {
                while (true)
                {
                    var (count, next) = _entry.Read(_endsOnly);
                    if (count > _seen)
                    {
                        _seen = count;
                        return true;
                    }

                    TimeSpan left = end - DateTimeOffset.UtcNow;
                    if (left <= TimeSpan.Zero)
                    {
                        return false;
                    }

                    delay ??= Task.Delay(left, timer.Token);
                    if (await Task.WhenAny(next, delay) == delay)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        return false;
                    }
                }
            }
            finally
            {
                // The timer of an event that came first is let go now, not when it would have fired.
                timer.Cancel();
            }
        }

        /// <summary>The exit code of the container's last <c>die</c> event seen by the stream (any watcher's), or null.</summary>
        public long? DiedWith
        {
            get
            {
                lock (_entry)
                {
                    return _entry.DiedWith;
                }
            }
        }

        public void Dispose() => _watch.Release(_containerId, _entry);

        private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
    }
}
