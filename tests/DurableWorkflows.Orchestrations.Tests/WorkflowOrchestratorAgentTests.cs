using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.Orchestrations.Tests.Infrastructure;
using static DurableWorkflows.Orchestrations.Tests.Infrastructure.Workflows;

namespace DurableWorkflows.Orchestrations.Tests;

/// <summary>Revision 2: actions of agent-served workers are offered in the status and awaited on the agent's reports.</summary>
[Collection(OrchestrationCollection.Name)]
public sealed class WorkflowOrchestratorAgentTests(OrchestrationHost host)
{
    public const string Agent = "08:00:27:00:00:01";

    public static WorkflowSettings AgentSettings { get; } = Fast with
    {
        AgentWorkers = new Dictionary<string, string> { [Agent] = Agent },
        AgentReportGrace = TimeSpan.FromSeconds(1),
    };

    /// <summary>A Docker service and action, then a task of two actions on the agent (the second failing, with a handler).</summary>
    public static WorkflowDefinition Scenario { get; } = Workflow(
        600,
        [Service("boots")],
        Task("prepare", Action("wipe")),
        new TaskDefinition("provision", Agent, ["/dev:/dev"], new Dictionary<string, string> { ["K"] = "V" },
            [Action("stream", timeout: 60), Action("fails", onFailure: ["echo", "rescue"])]));

    /// <summary>Drives <see cref="Scenario"/>: stream succeeds, fails fails, its handler succeeds.</summary>
    internal static async Task PlayAsync(OrchestrationHost host, string id, CancellationToken cancellation)
    {
        AgentOffer stream = await AgentDriver.RunAsync(host, id, AgentActionState.SUCCESS, cancellation);
        AgentOffer fails = await AgentDriver.RunAsync(host, id, AgentActionState.FAILED, cancellation, after: stream.Id, message: "exit status 3");
        await AgentDriver.RunAsync(host, id, AgentActionState.SUCCESS, cancellation, after: fails.Id);
    }

    [Fact(Timeout = 60_000)]
    public async Task AgentActions_ReportedByTheAgent_RunInOrderWithTheHandler()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        string id = NewId("agent");
        await ScheduleAsync(host, id, Scenario, cts.Token, AgentSettings);
        await PlayAsync(host, id, cts.Token);

        WorkflowStatus status = await CompletionAsync(host, id, cts.Token);

        Assert.Equal(WorkflowState.FAILED, status.State);
        Assert.Equal("action provision/fails failed: failed on agent 08:00:27:00:00:01: exit status 3", status.Message);
        ActionStatus stream = status.Action("provision", "stream")!;
        Assert.Equal((ActionState.SUCCESS, Agent), (stream.State, stream.Agent));
        ActionStatus fails = status.Action("provision", "fails")!;
        Assert.Equal((ActionState.FAILED, ActionState.SUCCESS), (fails.State, fails.Handler!.State));
        Assert.Null(status.Offer);
        Assert.Contains(status.Events, e => e.Kind == WorkflowEventKind.ActionOffered && e.Action == "stream" && e.Message == $"offered to agent {Agent}");
        Assert.Contains(status.Events, e => e.Kind == WorkflowEventKind.ActionStarted && e.Action == "stream" && e.Message == $"started on agent {Agent}");
        // Only the Docker parts touched the fake engine: the agent's actions have no container of the server's.
        Assert.DoesNotContain(host.Engine.Calls(id), c => c.Subject is not null && c.Subject.StartsWith("provision/", StringComparison.Ordinal));
        Assert.Empty(host.Engine.ContainersLeft(id));
    }

    [Fact(Timeout = 60_000)]
    public async Task AgentAction_SilentPastItsTimeout_TimesOutAndALateReportChangesNothing()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        string id = NewId("agent-silent");
        WorkflowDefinition definition = Workflow(600, [], new TaskDefinition("t", Agent, [], new Dictionary<string, string>(), [Action("hangs", timeout: 1), Action("never")]));
        await ScheduleAsync(host, id, definition, cts.Token, AgentSettings);
        AgentOffer offer = await AgentDriver.OfferAsync(host, id, cts.Token);
        await AgentDriver.ReportAsync(host, id, offer, AgentActionState.RUNNING, cts.Token);

        // The action's timeout (1 s) and the grace for the agent's own report (1 s here) pass without a word from it.
        WorkflowStatus status = await CompletionAsync(host, id, cts.Token);

        Assert.Equal(WorkflowState.TIMEOUT, status.State);
        Assert.Equal($"agent {Agent} reported no end within the timeout of 1 s (and 1 s of grace)", status.Action("t", "hangs")!.Message);
        Assert.Equal(ActionState.SKIPPED, status.Action("t", "never")!.State);
        await AgentDriver.ReportAsync(host, id, offer, AgentActionState.SUCCESS, cts.Token);
        Assert.Equal(WorkflowState.TIMEOUT, (await CompletionAsync(host, id, cts.Token)).State);
    }

    [Fact(Timeout = 60_000)]
    public async Task AgentAction_StaleAndForeignReports_AreIgnored()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        string id = NewId("agent-stale");
        WorkflowDefinition definition = Workflow(600, [], new TaskDefinition("t", Agent, [], new Dictionary<string, string>(), [Action("a", retries: 1)]));
        await ScheduleAsync(host, id, definition, cts.Token, AgentSettings);
        AgentOffer first = await AgentDriver.RunAsync(host, id, AgentActionState.FAILED, cts.Token);
        AgentOffer second = await AgentDriver.OfferAsync(host, id, cts.Token, after: first.Id);
        Assert.Equal(2, second.Attempt);

        // A late report of the first attempt, and one from another agent, before the real end.
        await AgentDriver.ReportAsync(host, id, first, AgentActionState.SUCCESS, cts.Token);
        await AgentDriver.ReportAsync(host, id, second with { AgentId = "someone-else" }, AgentActionState.SUCCESS, cts.Token);
        await AgentDriver.ReportAsync(host, id, second, AgentActionState.RUNNING, cts.Token);
        await AgentDriver.ReportAsync(host, id, second, AgentActionState.FAILED, cts.Token, "second attempt failed");

        WorkflowStatus status = await CompletionAsync(host, id, cts.Token);
        Assert.Equal(WorkflowState.FAILED, status.State);
        Assert.Equal((2, $"attempt 2: failed on agent {Agent}: second attempt failed"), (status.Action("t", "a")!.Attempt, status.Events.Last(e => e.Kind == WorkflowEventKind.ActionFailed).Message));
    }

    [Fact(Timeout = 60_000)]
    public async Task AgentAction_CancelledWhileItRuns_TheWorkflowEndsCancelledAtOnce()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        string id = NewId("agent-cancel");
        WorkflowDefinition definition = Workflow(600, [], new TaskDefinition("t", Agent, [], new Dictionary<string, string>(), [Action("long", timeout: 300)]));
        await ScheduleAsync(host, id, definition, cts.Token, AgentSettings);
        AgentOffer offer = await AgentDriver.OfferAsync(host, id, cts.Token);
        await AgentDriver.ReportAsync(host, id, offer, AgentActionState.RUNNING, cts.Token);
        while ((await AgentDriver.OfferAsync(host, id, cts.Token)) is { Running: false })
        {
            await System.Threading.Tasks.Task.Delay(20, cts.Token);
        }

        await host.Client.RaiseEventAsync(id, EventNames.Cancel, new CancelRequest("test"), cts.Token);

        WorkflowStatus status = await CompletionAsync(host, id, cts.Token);
        Assert.Equal(WorkflowState.CANCELLED, status.State);
        Assert.Null(status.Offer);
    }
}
