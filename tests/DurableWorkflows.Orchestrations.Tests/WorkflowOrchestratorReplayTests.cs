using System.Runtime.CompilerServices;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.Orchestrations.Tests.Infrastructure;
using static DurableWorkflows.Orchestrations.Tests.Infrastructure.Workflows;
using P = Microsoft.DurableTask.Protobuf;

namespace DurableWorkflows.Orchestrations.Tests;

/// <summary>
/// The orchestrator must keep matching the histories of workflows already in flight: a change that schedules
/// different work for the same history fails here. Fixtures/workflow-history.json is a recorded run of
/// <see cref="Scenario"/>; after an intended, versioned change, record it again with
/// <c>DWF_RECORD_FIXTURES=1 dotnet test --filter WorkflowOrchestratorReplayTests</c>.
/// </summary>
[Collection(OrchestrationCollection.Name)]
public sealed class WorkflowOrchestratorReplayTests(OrchestrationHost host)
{
    private const string FixtureName = "workflow-history.json";

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

    [Fact(Timeout = 60_000)]
    public async Task Replay_HistoryOfARunJustMade_CompletesWithTheSameResult()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        string id = NewId("replay");
        Script(host.Engine.Script(id));

        WorkflowStatus status = await RunAsync(host, id, Scenario, cts.Token);
        Assert.Equal(WorkflowState.FAILED, status.State);
        IReadOnlyList<P.HistoryEvent> history = HistoryReplay.ToProto(host.Backend.History(id));

        AssertReplaysToItsCompletion(history);
        if (Environment.GetEnvironmentVariable("DWF_RECORD_FIXTURES") == "1")
        {
            await File.WriteAllTextAsync(Path.Combine(SourceDirectory(), "Fixtures", FixtureName), HistoryReplay.ToJson(history), cts.Token);
        }
    }

    [Fact]
    public void Replay_RecordedHistory_CompletesWithTheRecordedResult()
    {
        IReadOnlyList<P.HistoryEvent> history = HistoryReplay.FromJson(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", FixtureName)));
        Assert.Contains(history, e => e.TaskScheduled?.Name == ActivityNames.AwaitServiceHealthy);
        Assert.Contains(history, e => e.TimerCreated is not null);

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
