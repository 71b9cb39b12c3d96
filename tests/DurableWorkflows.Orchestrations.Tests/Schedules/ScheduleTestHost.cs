using System.Collections.Concurrent;
using DurableWorkflows.Activities;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Scheduling;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace DurableWorkflows.Orchestrations.Tests.Schedules;

/// <summary>Every call of the fake StartScheduledRun activity, by run id.</summary>
public sealed class RunRecorder
{
    private readonly ConcurrentDictionary<string, int> _calls = new();
    private readonly ConcurrentDictionary<string, StartScheduledRunInput> _inputs = new();
    private readonly ConcurrentQueue<string> _order = new();

    public void Record(StartScheduledRunInput input)
    {
        _inputs[input.RunId] = input;
        if (_calls.AddOrUpdate(input.RunId, 1, (_, n) => n + 1) == 1)
        {
            _order.Enqueue(input.RunId);
        }
    }

    /// <summary>What the schedule asked to start under the run id (its template and vars).</summary>
    public StartScheduledRunInput Input(string runId) => _inputs[runId];

    /// <summary>The distinct run ids, in the order of their first call.</summary>
    public IReadOnlyList<string> RunIds => [.. _order];

    public int Calls(string runId) => _calls.TryGetValue(runId, out var n) ? n : 0;
}

/// <summary>
/// Stands in for the real StartScheduledRun: starts a <see cref="TestRunOrchestrator"/> under the run id (held open
/// until its "finish" event when the schedule's vars say <c>hold=true</c>), counting an existing instance as started.
/// </summary>
public sealed class FakeStartScheduledRunActivity(DurableTaskClient client, RunRecorder recorder)
    : TaskActivity<StartScheduledRunInput, ScheduledRunStarted>
{
    public override async Task<ScheduledRunStarted> RunAsync(TaskActivityContext context, StartScheduledRunInput input)
    {
        recorder.Record(input);
        if (input.Vars.TryGetValue("invalid", out var error))
        {
            return new ScheduledRunStarted(false, false, error);
        }

        var hold = input.Vars.TryGetValue("hold", out var h) && h == "true";
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                TestRunOrchestrator.Name,
                hold,
                new StartOrchestrationOptions(input.RunId).WithDedupeStatuses([.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses]));
            return new ScheduledRunStarted(true, false);
        }
        catch (DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException)
        {
            return new ScheduledRunStarted(true, true);
        }
    }
}

/// <summary>A run that ends at once, or (input true) when it gets the "finish" event.</summary>
public sealed class TestRunOrchestrator : TaskOrchestrator<bool, string>
{
    public const string Name = "TestRun";
    public const string FinishEvent = "finish";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, bool input)
    {
        if (input)
        {
            context.SetCustomStatus(new { state = nameof(WorkflowState.RUNNING) });
            await context.WaitForExternalEvent<bool>(FinishEvent);
        }

        context.SetCustomStatus(new { state = nameof(WorkflowState.SUCCESS) });
        return nameof(WorkflowState.SUCCESS);
    }
}

/// <summary>The in-process host with the real schedule orchestrator and GetRunState, and the fake run starter.</summary>
public sealed class ScheduleTestHost : IAsyncDisposable
{
    private readonly DurableTaskTestHost _host;

    private ScheduleTestHost(DurableTaskTestHost host, RunRecorder recorder)
    {
        _host = host;
        Recorder = recorder;
    }

    public DurableTaskClient Client => _host.Client;

    public RunRecorder Recorder { get; }

    public static async Task<ScheduleTestHost> StartAsync(CancellationToken cancellationToken, Microsoft.Extensions.Logging.ILoggerFactory? loggerFactory = null)
    {
        var recorder = new RunRecorder();
        // The host's own choice is a random port in 30000-40000, where the other test projects' outgoing connections
        // also get theirs: a port the kernel hands out, and another one if it is taken by the time the host binds it.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var host = await DurableTaskTestHost.StartAsync(
                    registry =>
                    {
                        registry.AddOrchestrator<ScheduleOrchestrator>(OrchestrationNames.Schedule);
                        registry.AddActivity<GetRunStateActivity>(ActivityNames.GetRunState);
                        registry.AddActivity<FakeStartScheduledRunActivity>(ActivityNames.StartScheduledRun);
                        registry.AddOrchestrator(TestRunOrchestrator.Name, new TestRunOrchestrator());
                    },
                    new DurableTaskTestHostOptions
                    {
                        Port = Server.Hosting.FreePort.Find(),
                        LoggerFactory = loggerFactory,
                        ConfigureServices = services => services.AddSingleton(recorder),
                    },
                    cancellationToken);
                return new ScheduleTestHost(host, recorder);
            }
            catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException && attempt < 5)
            {
            }
        }
    }

    public static ScheduleSpec Spec(
        string name,
        string cron,
        ScheduleOverlap overlap = ScheduleOverlap.Skip,
        IReadOnlyDictionary<string, string>? vars = null) =>
        new(name, cron, null, overlap, "version: \"0.1\"\n", vars ?? new Dictionary<string, string>());

    public async Task StartScheduleAsync(ScheduleState state, CancellationToken cancellationToken) =>
        await Client.ScheduleNewOrchestrationInstanceAsync(
            OrchestrationNames.Schedule,
            state,
            new StartOrchestrationOptions(ScheduleNames.InstanceId(state.Spec.Name)),
            cancellationToken);

    public Task SendAsync(string name, ScheduleCommandKind kind, CancellationToken cancellationToken) =>
        SendAsync(name, new ScheduleCommand(kind), cancellationToken);

    public Task SendAsync(string name, ScheduleCommand command, CancellationToken cancellationToken) =>
        Client.RaiseEventAsync(ScheduleNames.InstanceId(name), EventNames.ScheduleCommand, command, cancellationToken);

    public async Task<ScheduleStatus?> StatusAsync(string name, CancellationToken cancellationToken)
    {
        var metadata = await Client.GetInstanceAsync(ScheduleNames.InstanceId(name), getInputsAndOutputs: true, cancellationToken);
        return metadata?.ReadCustomStatusAs<ScheduleStatus>();
    }

    /// <summary>Polls the schedule's status until <paramref name="condition"/> holds; the token bounds the wait.</summary>
    public async Task<ScheduleStatus> WaitForStatusAsync(string name, Func<ScheduleStatus, bool> condition, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = await StatusAsync(name, cancellationToken);
            if (status is not null && condition(status))
            {
                return status;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Polls the recorder until at least <paramref name="count"/> runs were started.</summary>
    public async Task<IReadOnlyList<string>> WaitForRunsAsync(int count, CancellationToken cancellationToken)
    {
        while (Recorder.RunIds.Count < count)
        {
            await Task.Delay(50, cancellationToken);
        }

        return Recorder.RunIds;
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();
}
