using System.Text.Json;
using DurableWorkflows.Core.Contracts;
using static DurableWorkflows.Orchestrations.Tests.Infrastructure.Workflows;

namespace DurableWorkflows.Orchestrations.Tests;

public sealed class WorkflowStatusTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static WorkflowStatus Sample() =>
        WorkflowStatus.Pending("wf-1", Workflow(600, [Service("boots")], Task("t1", Action("a1"), Action("a2"))), T0);

    [Fact]
    public void Pending_Definition_EveryServiceAndActionPending()
    {
        WorkflowStatus status = Sample();

        Assert.Equal(WorkflowState.PENDING, status.State);
        Assert.Equal("wf-1", status.Id);
        Assert.Equal("test", status.Name);
        Assert.Equal(ServiceState.PENDING, Assert.Single(status.Services).State);
        Assert.Equal(["a1", "a2"], status.Tasks[0].Actions.Select(a => a.Name));
        Assert.All(status.Tasks[0].Actions, a => Assert.Equal(ActionState.PENDING, a.State));
        Assert.False(status.IsFinished);
    }

    [Fact]
    public void Serialize_WebDefaults_CamelCaseWithStateNames()
    {
        WorkflowStatus status = WorkflowEvents.Append(Sample() with { State = WorkflowState.SUCCESS }, T0, WorkflowEventKind.WorkflowFinished, "SUCCESS");

        using JsonDocument json = JsonDocument.Parse(JsonSerializer.Serialize(status, JsonSerializerOptions.Web));
        JsonElement root = json.RootElement;

        Assert.Equal("wf-1", root.GetProperty("id").GetString());
        Assert.Equal("SUCCESS", root.GetProperty("state").GetString());
        Assert.Equal("PENDING", root.GetProperty("services")[0].GetProperty("state").GetString());
        Assert.Equal("PENDING", root.GetProperty("tasks")[0].GetProperty("actions")[0].GetProperty("state").GetString());
        Assert.Equal("WorkflowFinished", root.GetProperty("events")[0].GetProperty("kind").GetString());
        Assert.False(root.TryGetProperty("isFinished", out _));

        WorkflowStatus? back = JsonSerializer.Deserialize<WorkflowStatus>(json.RootElement.GetRawText(), JsonSerializerOptions.Web);
        Assert.Equal(WorkflowState.SUCCESS, back!.State);
        Assert.Equal(status.Events, back.Events);
    }

    [Fact]
    public void Compact_LongLogsAndManyEvents_KeepsTheNewest()
    {
        string[] lines = [.. Enumerable.Range(1, 20).Select(i => $"line {i}")];
        WorkflowStatus status = Sample();
        status = status with
        {
            Services = [status.Services[0] with { LogTail = lines }],
            Tasks = [status.Tasks[0] with
            {
                Actions = [status.Tasks[0].Actions[0] with
                {
                    LogTail = lines,
                    Handler = new HandlerResult(HandlerResult.OnFailure, ActionState.SUCCESS, 0, T0, T0, 0, null, lines),
                }, status.Tasks[0].Actions[1]],
            }],
        };
        for (int i = 0; i < 40; i++)
        {
            status = WorkflowEvents.Append(status, T0.AddSeconds(i), WorkflowEventKind.ActionStarted, $"event {i + 1}", "t1", "a1");
        }

        WorkflowStatus compact = status.Compact();

        Assert.Equal(["line 16", "line 17", "line 18", "line 19", "line 20"], compact.Services[0].LogTail);
        Assert.Equal(5, compact.Tasks[0].Actions[0].LogTail.Count);
        Assert.Equal("line 20", compact.Tasks[0].Actions[0].Handler!.LogTail[^1]);
        Assert.Equal(WorkflowStatus.CompactEvents, compact.Events.Count);
        Assert.Equal(40, compact.Events[^1].Sequence);
        Assert.Equal(20, status.Services[0].LogTail.Count); // the original is unchanged
    }

    [Fact]
    public void Append_BeyondMaxEvents_DropsOldestAndKeepsSequence()
    {
        WorkflowStatus status = Sample();
        for (int i = 0; i < WorkflowEvents.MaxEvents + 10; i++)
        {
            status = WorkflowEvents.Append(status, T0, WorkflowEventKind.ServiceRestarted, "restarted", service: "boots");
        }

        Assert.Equal(WorkflowEvents.MaxEvents, status.Events.Count);
        Assert.Equal(11, status.Events[0].Sequence);
        Assert.Equal(WorkflowEvents.MaxEvents + 10, status.Events[^1].Sequence);
    }

    [Fact]
    public void After_LastSeenSequence_ReturnsOnlyNewerEvents()
    {
        WorkflowStatus status = Sample();
        for (int i = 0; i < 5; i++)
        {
            status = WorkflowEvents.Append(status, T0, WorkflowEventKind.ActionStarted, $"e{i + 1}", "t1", "a1");
        }

        Assert.Equal([4L, 5L], WorkflowEvents.After(status, 3).Select(e => e.Sequence));
        Assert.Empty(WorkflowEvents.After(status, 5));
        Assert.Empty(WorkflowEvents.After(null, 0));
    }

    [Fact]
    public void From_OverlappingSnapshots_EachEventOnceInOrder()
    {
        WorkflowStatus first = WorkflowEvents.Append(Sample(), T0, WorkflowEventKind.ServiceStarted, "started", service: "boots");
        WorkflowStatus second = WorkflowEvents.Append(first, T0.AddSeconds(1), WorkflowEventKind.ServiceHealthy, "running", service: "boots");
        WorkflowStatus third = WorkflowEvents.Append(second, T0.AddSeconds(2), WorkflowEventKind.ActionStarted, "started", "t1", "a1");

        IReadOnlyList<WorkflowEvent> events = WorkflowEvents.From([second, null, first, third, third]);

        Assert.Equal(
            [WorkflowEventKind.ServiceStarted, WorkflowEventKind.ServiceHealthy, WorkflowEventKind.ActionStarted],
            events.Select(e => e.Kind));
    }

    [Fact]
    public void Format_ActionAndServiceEvents_NameTheirSubject()
    {
        var action = new WorkflowEvent(1, T0, WorkflowEventKind.ActionFailed, "t1", "a1", null, "exited with code 3");
        var service = new WorkflowEvent(2, T0, WorkflowEventKind.ServiceHealthy, null, null, "boots", "running");

        Assert.Equal("03:04:05 t1/a1: exited with code 3", WorkflowEvents.Format(action));
        Assert.Equal("03:04:05 service boots: running", WorkflowEvents.Format(service));
    }
}
