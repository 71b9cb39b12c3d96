using System.Runtime.CompilerServices;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.Orchestrations.Tests.Infrastructure;
using static DurableWorkflows.Orchestrations.Tests.Infrastructure.Workflows;
using P = Microsoft.DurableTask.Protobuf;

namespace DurableWorkflows.Orchestrations.Tests;

/// <summary>
/// The orchestrator must keep matching the histories of workflows already in flight: a change that schedules
/// different work for the same history fails here. Fixtures/workflow-history*.json are recorded runs of
/// <see cref="Scenario"/>, one per settings revision (<see cref="WorkflowSettings.Revision"/>): a run keeps the revision
/// it started with, so every revision's history must keep replaying. A change of scheduling is a new revision with a
/// new fixture, recorded with <c>DWF_RECORD_FIXTURES=1 dotnet test --filter WorkflowOrchestratorReplayTests</c> (which
/// writes the latest revision's only).
/// </summary>
[Collection(OrchestrationCollection.Name)]
public sealed class WorkflowOrchestratorReplayTests(OrchestrationHost host)
{
    private const string FixtureName = "workflow-history.json";

    /// <summary>The recorded history of a run of each revision.</summary>
    private static string Fixture(int revision) => revision == 0 ? FixtureName : $"workflow-history-r{revision}.json";

    /// <summary>Services (one slow), a retried action, a failing action with its handler, a skipped action.</summary>
    private static WorkflowDefinition Scenario { get; } = Workflow(
        600,
        [Service("boots"), Service("receiver")],
        Task("install", Action("wipe"), Action("partition", timeout: 60, retries: 1)),
        Task("finish", Action("reboot", onFailure: ["sh", "-c", "echo rescue"]), Action("never")));

    private static void Script(WorkflowScript script)
    {
        script.Services["receiver"] = new FakeService(PendingPolls: 1);
        script.Actions["install/partition"] = attempt => FakeRun.Exit(attempt == 1 ? 1 : 0);
        script.Actions["finish/reboot"] = _ => FakeRun.Exit(2);
    }

    /// <summary>
    /// Revision 4's: the agent scenario with two Docker actions ahead of the agent's task, the second retried, so that
    /// one wait starts the next action and one retry is started by the run.
    /// </summary>
    private static WorkflowDefinition ChainScenario { get; } = Workflow(
        600,
        [Service("boots")],
        Task("prepare", Action("wipe"), Action("format", retries: 1)),
        WorkflowOrchestratorAgentTests.Scenario.Tasks[1]);

    [Theory(Timeout = 60_000)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(WorkflowSettings.LatestRevision)]
    public async Task Replay_HistoryOfARunJustMade_CompletesWithTheSameResult(int revision)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        string id = NewId("replay");
        Script(host.Engine.Script(id));

        // Revision 2's scenario has a task on an agent (its reports played as the agent endpoint raises them).
        WorkflowStatus status;
        if (revision >= 2)
        {
            host.Engine.Script(id).Actions["prepare/format"] = attempt => FakeRun.Exit(attempt == 1 ? 1 : 0);
            WorkflowDefinition scenario = revision >= 4 ? ChainScenario : WorkflowOrchestratorAgentTests.Scenario;
            await ScheduleAsync(host, id, scenario, cts.Token, WorkflowOrchestratorAgentTests.AgentSettings with { Revision = revision });
            await WorkflowOrchestratorAgentTests.PlayAsync(host, id, cts.Token);
            status = await CompletionAsync(host, id, cts.Token);
        }
        else
        {
            status = await RunAsync(host, id, Scenario, cts.Token, Fast with { Revision = revision });
        }

        Assert.Equal(WorkflowState.FAILED, status.State);
        IReadOnlyList<P.HistoryEvent> history = HistoryReplay.ToProto(host.Backend.History(id));

        AssertReplaysToItsCompletion(history);
        // Only the latest revision is recorded: an older revision's fixture is what runs of it left, and stays as it is.
        if (Environment.GetEnvironmentVariable("DWF_RECORD_FIXTURES") == "1" && revision == WorkflowSettings.LatestRevision)
        {
            await File.WriteAllTextAsync(Path.Combine(SourceDirectory(), "Fixtures", Fixture(revision)), HistoryReplay.ToJson(history), cts.Token);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void Replay_RecordedHistory_CompletesWithTheRecordedResult(int revision)
    {
        IReadOnlyList<P.HistoryEvent> history = HistoryReplay.FromJson(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", Fixture(revision))));
        Assert.Contains(history, e => e.TaskScheduled?.Name == ActivityNames.AwaitServiceHealthy);
        Assert.Contains(history, e => e.TimerCreated is not null);
        Assert.Equal(revision >= 1, history.Any(e => e.TaskScheduled?.Name == ActivityNames.PrepareAction));
        Assert.Equal(revision >= 2, history.Any(e => e.EventRaised?.Name == EventNames.AgentReport));
        // From revision 4 a wait carries the next action's start, and that action has no StartAction of its own.
        Assert.Equal(revision >= 4, history.Any(e => e.TaskScheduled?.Input?.Contains("\"Then\":{", StringComparison.Ordinal) == true));
        // From revision 6 more than one action's container is prepared as the run starts, before its services.
        int servicesStart = history.ToList().FindIndex(e => e.TaskScheduled?.Name == ActivityNames.StartService);
        Assert.Equal(revision >= 6, history.Take(servicesStart).Count(e => e.TaskScheduled?.Name == ActivityNames.PrepareAction) > 1);

        AssertReplaysToItsCompletion(history);
    }

    [Fact]
    public void Replay_RecordedHistoryWithAnActivityRenamed_IsRejected()
    {
        // The guard itself: a history that no longer matches the code must not replay cleanly.
        IReadOnlyList<P.HistoryEvent> history = HistoryReplay.FromJson(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", FixtureName)));
        P.HistoryEvent inspect = history.First(e => e.TaskScheduled?.Name == ActivityNames.InspectServices);
        inspect.TaskScheduled.Name = "SomethingElse";

        P.OrchestratorResponse response = HistoryReplay.Replay(history, new WorkflowOrchestrator());

        P.CompleteOrchestrationAction? completion = response.Actions.Select(a => a.CompleteOrchestration).FirstOrDefault(c => c is not null);
        Assert.NotNull(completion);
        Assert.Equal(P.OrchestrationStatus.Failed, completion.OrchestrationStatus);
        Assert.Contains("NonDeterministic", completion.FailureDetails.ErrorType, StringComparison.Ordinal);
    }

    private static void AssertReplaysToItsCompletion(IReadOnlyList<P.HistoryEvent> history)
    {
        P.ExecutionCompletedEvent recorded = HistoryReplay.Completion(history);

        P.OrchestratorResponse response = HistoryReplay.Replay(history, new WorkflowOrchestrator());

        P.OrchestratorAction action = Assert.Single(response.Actions);
        Assert.NotNull(action.CompleteOrchestration);
        Assert.True(
            action.CompleteOrchestration.OrchestrationStatus == P.OrchestrationStatus.Completed,
            $"replay ended {action.CompleteOrchestration.OrchestrationStatus}: {action.CompleteOrchestration.FailureDetails}");
        Assert.Equal(recorded.Result, action.CompleteOrchestration.Result);
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
