using DurableWorkflows.Server.Agents.Logs;
using DurableWorkflows.Server.Agents.Tink;
using Grpc.Core;
using Grpc.Net.Client;

namespace DurableWorkflows.Agents.Tests;

/// <summary>
/// The agent endpoint refuses what it must, each with its gRPC status and a message, and changes nothing: no token, a
/// wrong token, another agent's action, malformed and oversized messages.
/// </summary>
public sealed class AgentSecurityTests(AgentServer server) : IClassFixture<AgentServer>
{
    private const string Owner = "08:00:27:aa:bb:01";

    private static async Task<RpcException> RefusedAsync(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

    [Fact(Timeout = 120_000)]
    public async Task AgentCalls_WithoutTheRightTokenOrForAnotherAgent_AreRefusedAndChangeNothing()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        string id = await server.StartAsync($$"""
            version: "0.1"
            name: guarded
            global_timeout: 80
            tasks:
              - name: t
                worker: "{{Owner}}"
                actions:
                  - name: a
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["true"]
            """, cts.Token);
        using (await server.WaitForAsync(id, s => s.TryGetProperty("offer", out _), cts.Token))
        {
        }

        using GrpcChannel none = server.Channel(null);
        using GrpcChannel wrong = server.Channel("not-the-token");
        using GrpcChannel right = server.Channel(AgentServer.Token);
        var owner = new ActionRequest { AgentId = Owner };

        RpcException anonymous = await RefusedAsync(() => new WorkflowService.WorkflowServiceClient(none).GetActionAsync(owner, cancellationToken: cts.Token).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Contains("Bearer", anonymous.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.Unauthenticated, (await RefusedAsync(() => new WorkflowService.WorkflowServiceClient(wrong).GetActionAsync(owner, cancellationToken: cts.Token).ResponseAsync)).StatusCode);

        var client = new WorkflowService.WorkflowServiceClient(right);
        ActionResponse offered = await client.GetActionAsync(owner, cancellationToken: cts.Token);
        Assert.Equal((id, "t", "a", "t/a/1"), (offered.WorkflowId, offered.TaskId, offered.Name, offered.ActionId));

        // Another machine has nothing to do, and may not report on this one's action.
        Assert.Equal(StatusCode.NotFound, (await RefusedAsync(() => client.GetActionAsync(new ActionRequest { AgentId = "08:00:27:aa:bb:02" }, cancellationToken: cts.Token).ResponseAsync)).StatusCode);
        ActionStatusRequest Report(string agent) => new()
        {
            WorkflowId = id, AgentId = agent, TaskId = "t", ActionId = offered.ActionId, ActionName = "a",
            ActionState = ActionStatusRequest.Types.StateType.Success,
        };
        RpcException foreign = await RefusedAsync(() => client.ReportActionStatusAsync(Report("08:00:27:aa:bb:02"), cancellationToken: cts.Token).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, foreign.StatusCode);
        Assert.Contains(Owner, foreign.Status.Detail, StringComparison.Ordinal);

        // Malformed: an id missing, a state an agent does not report, an action that is not the current one.
        RpcException missing = await RefusedAsync(() => client.ReportActionStatusAsync(Report(Owner).Also(r => r.WorkflowId = ""), cancellationToken: cts.Token).ResponseAsync);
        Assert.Equal((StatusCode.InvalidArgument, "workflow_id is required"), (missing.StatusCode, missing.Status.Detail));
        Assert.Equal(StatusCode.InvalidArgument, (await RefusedAsync(() => client.ReportActionStatusAsync(Report(Owner).Also(r => r.ActionState = ActionStatusRequest.Types.StateType.Pending), cancellationToken: cts.Token).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, (await RefusedAsync(() => client.ReportActionStatusAsync(Report(Owner).Also(r => r.ActionId = "t/a/7"), cancellationToken: cts.Token).ResponseAsync)).StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, (await RefusedAsync(() => client.GetActionAsync(new ActionRequest(), cancellationToken: cts.Token).ResponseAsync)).StatusCode);

        // Oversized: a log larger than the agent message limit (4 MiB).
        var logs = new AgentLogService.AgentLogServiceClient(right);
        RpcException big = await RefusedAsync(() => logs.UploadLogAsync(
            new UploadLogRequest { AgentId = Owner, WorkflowId = id, TaskId = "t", ActionId = offered.ActionId, Text = new string('x', 5 * 1024 * 1024) },
            cancellationToken: cts.Token).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, big.StatusCode);

        // Nothing changed: the same action is still offered to its agent; then it is cancelled, and nothing is left.
        ActionResponse again = await client.GetActionAsync(owner, cancellationToken: cts.Token);
        Assert.Equal(offered.ActionId, again.ActionId);
        using (System.Text.Json.JsonDocument status = await server.StatusAsync(id, cts.Token))
        {
            Assert.Equal("RUNNING", status.RootElement.GetProperty("state").GetString());
        }

        using HttpResponseMessage cancel = await server.Http.PostAsync($"/api/workflows/{id}/cancel", null, cts.Token);
        Assert.True(cancel.IsSuccessStatusCode);
        using (await server.WaitForStateAsync(id, "CANCELLED", cts.Token))
        {
        }

        Assert.Equal(StatusCode.FailedPrecondition, (await RefusedAsync(() => client.ReportActionStatusAsync(Report(Owner), cancellationToken: cts.Token).ResponseAsync)).StatusCode);
    }
}

internal static class MessageChanges
{
    /// <summary>The message with a change made to it (the tests vary one field of a valid report).</summary>
    public static ActionStatusRequest Also(this ActionStatusRequest request, Action<ActionStatusRequest> change)
    {
        ActionStatusRequest copy = request.Clone();
        change(copy);
        return copy;
    }
}
