using DurableWorkflows.Containers.DockerApi;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Containers;

/// <summary>The next action's start that an action's wait carries (settings revision 4).</summary>
public sealed partial class ContainerEngine
{
    /// <summary>
    /// Starts the next action (<see cref="WaitActionInput.Then"/>) once, the moment its wait knows the action exited 0:
    /// from Docker's <c>die</c> event, which carries the exit code and comes before Docker answers any call about the
    /// container (an inspect made while it exits waits for Docker to finish handling the exit), or from what the wait
    /// itself saw; along with it, the container after it is created (<see cref="WaitActionInput.ThenPrepare"/>) and the ended one
    /// before it removed (<see cref="WaitActionInput.RemoveEnded"/>). Nothing happens without a <c>Then</c>.
    /// </summary>
    private sealed class NextActionStart : IAsyncDisposable
    {
        private static readonly TimeSpan Listen = TimeSpan.FromMinutes(1);
        private readonly ContainerEngine _engine;
        private readonly DockerEndpoint _endpoint;
        private readonly WaitActionInput _input;
        private readonly CancellationToken _cancellationToken;
        private readonly CancellationTokenSource? _listening;
        private readonly ContainerEventWatch.Watcher? _watch;
        private readonly Task _onDie = Task.CompletedTask;
        private readonly object _gate = new();
        private Task<ActionStarted?>? _started;

        public NextActionStart(ContainerEngine engine, DockerEndpoint endpoint, WaitActionInput input, CancellationToken cancellationToken)
        {
            (_engine, _endpoint, _input, _cancellationToken) = (engine, endpoint, input, cancellationToken);
            if (input.Then is null)
            {
                return;
            }

            _listening = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _watch = endpoint.Events.Watch(input.ContainerId, endsOnly: true);
            _onDie = OnDieAsync(_watch, _listening.Token);
        }

        /// <summary>True once the next action's start was made (the action is known to have exited 0).</summary>
        public bool Made => Started is not null;

        private Task<ActionStarted?>? Started
        {
            get
            {
                lock (_gate)
                {
                    return _started;
                }
            }
        }

        /// <summary>Starts the next action if there is one and <paramref name="exitCode"/> is 0; once only.</summary>
        public void OnExit(long? exitCode)
        {
            if (_input.Then is not { } then || exitCode != 0)
            {
                return;
            }

            lock (_gate)
            {
                _started ??= StartAsync(then);
            }
        }

        /// <summary>
        /// The wait's result with the next action it started, once that start returned. Should the container's recorded
        /// end not be exit 0 after all, the next action's container is removed instead: it must not run after a failure.
        /// </summary>
        public async Task<ActionWaitResult> WithNextAsync(ActionWaitResult result, string name)
        {
            await StopListeningAsync();
            if (Started is not { } started || _input.Then is not { } then || await started is not { } next)
            {
                return result;
            }

            if (result is { State: ActionRunState.Exited, ExitCode: 0 })
            {
                return result with { Next = next };
            }

            Log.NextStartTakenBack(_engine._logger, name, result.State.ToString(), result.ExitCode, next.ContainerName);
            await _engine.RemoveAsync(_engine._endpoints.ForWorker(then.Task.Worker, then.WorkerEndpoints), _input.WorkflowId, next.ContainerId, CancellationToken.None);
            return result;
        }

        /// <summary>Stops listening; a start already made is let finish (the next action's own start finds its container).</summary>
        public async ValueTask DisposeAsync()
        {
            await StopListeningAsync();
            if (Started is { } started)
            {
                await started;
            }

            _watch?.Dispose();
            _listening?.Dispose();
        }

        private async Task StopListeningAsync()
        {
            _listening?.Cancel();
            await _onDie;
        }

        private async Task OnDieAsync(ContainerEventWatch.Watcher watch, CancellationToken cancellationToken)
        {
            try
            {
                while (watch.DiedWith is null)
                {
                    await watch.NextAsync(Listen, Listen, cancellationToken);
                }

                OnExit(watch.DiedWith);
            }
            catch (OperationCanceledException)
            {
                // The wait ended first.
            }
        }

        private async Task<ActionStarted?> StartAsync(StartActionInput then)
        {
            var start = StartNextAsync(then);
            // Docker's other work for the run is done while it starts that container, not while an action's process runs and exits.
            Task prepare = _input.ThenPrepare is { } after ? _engine.PrepareActionAsync(after, _cancellationToken) : Task.CompletedTask;
            var remove = _input.RemoveEnded is { } ended ? RemoveEndedAsync(ended) : Task.CompletedTask;
            await Task.WhenAll(prepare, remove);
            return await start;
        }

        private async Task<ActionStarted?> StartNextAsync(StartActionInput then)
        {
            try
            {
                return await _engine.StartActionAsync(then with { WaitFor = null, Then = null, ThenPrepare = null }, _cancellationToken);
            }
            catch (ContainerEngineException e)
            {
                Log.NextStartFailed(_engine._logger, e, _input.ContainerId, $"{then.Task.Name}/{then.Action.Name}");
                return null;
            }
        }

        /// <summary>Best effort: the workflow's cleanup removes what is left.</summary>
        private async Task RemoveEndedAsync(string containerId)
        {
            try
            {
                await _engine.RemoveAsync(_endpoint, _input.WorkflowId, containerId, CancellationToken.None);
            }
            catch (Exception e) when (e is ContainerEngineException or Docker.DotNet.DockerApiException)
            {
                Log.RemoveEndedFailed(_engine._logger, e, containerId);
            }
        }
    }
}
