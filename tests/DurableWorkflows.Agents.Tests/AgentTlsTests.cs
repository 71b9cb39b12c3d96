using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Legacy = DurableWorkflows.Server.Agents.TinkWorker;

namespace DurableWorkflows.Agents.Tests;

/// <summary>The agent endpoints of both protocols on https:// with a certificate of the server's own.</summary>
public sealed class AgentTlsServer : AgentServer
{
    protected override bool Tls => true;
}

/// <summary>
/// TLS on both agent endpoints: <c>dwf agent --ca-cert</c> runs a workflow over it; the legacy endpoint answers over it;
/// a plaintext client and a client that does not trust the certificate get nothing.
/// </summary>
public sealed class AgentTlsTests(AgentTlsServer server) : IClassFixture<AgentTlsServer>
{
    [Fact(Timeout = 120_000)]
    public async Task DwfAgent_OverTls_RunsTheWorkflow()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        string mac = AgentServer.NewMac();
        await server.StartAgentAsync(mac, cts.Token);
        string id = await server.StartAsync($$"""
            version: "0.1"
            name: over-tls
            global_timeout: 80
            tasks:
              - name: t
                worker: "{{mac}}"
                actions:
                  - name: a
                    image: dwf-busybox:latest
                    timeout: 30
                    command: ["sh", "-c", "echo over tls"]
            """, cts.Token);
        using JsonDocument final = await server.WaitForStateAsync(id, "SUCCESS", cts.Token);
        Assert.StartsWith("https://", server.AgentUri.ToString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task LegacyEndpoint_AnswersOverTls_AndRefusesWhatIsNotTls()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        using (GrpcChannel trusted = server.Channel(null, server.WorkerUri))
        {
            var client = new Legacy.WorkflowService.WorkflowServiceClient(trusted);
            using AsyncServerStreamingCall<Legacy.WorkflowContext> contexts = client.GetWorkflowContexts(new Legacy.WorkflowContextRequest { WorkerId = AgentServer.NewMac() }, cancellationToken: cts.Token);
            Assert.False(await contexts.ResponseStream.MoveNext(cts.Token), "no workflow has an action for a new machine");
            RpcException malformed = await Assert.ThrowsAsync<RpcException>(async () => await client.GetWorkflowActionsAsync(new Legacy.WorkflowActionsRequest(), cancellationToken: cts.Token));
            Assert.Equal(StatusCode.InvalidArgument, malformed.StatusCode);
            Assert.Contains("workflow_id", malformed.Status.Detail, StringComparison.Ordinal);
        }

        // Plaintext HTTP/2 to the TLS port, and TLS without trusting the server's certificate: both fail to connect.
        using (GrpcChannel plain = GrpcChannel.ForAddress($"http://127.0.0.1:{server.WorkerPort}"))
        {
            RpcException refused = await Assert.ThrowsAsync<RpcException>(async () =>
                await new Legacy.WorkflowService.WorkflowServiceClient(plain).GetWorkflowActionsAsync(new Legacy.WorkflowActionsRequest { WorkflowId = "x" }, cancellationToken: cts.Token));
            Assert.Contains(refused.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        }

        using (GrpcChannel untrusted = GrpcChannel.ForAddress(server.WorkerUri))
        {
            RpcException refused = await Assert.ThrowsAsync<RpcException>(async () =>
                await new Legacy.WorkflowService.WorkflowServiceClient(untrusted).GetWorkflowActionsAsync(new Legacy.WorkflowActionsRequest { WorkflowId = "x" }, cancellationToken: cts.Token));
            Assert.Contains(refused.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
            Assert.Contains("SSL", refused.ToString(), StringComparison.OrdinalIgnoreCase);
        }
    }
}
