using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DurableWorkflows.Server.Tests;

/// <summary><c>GET /api/workflows/{id}?wait=S</c>: the status once the workflow has finished, or after S seconds as it is then.</summary>
public sealed class WorkflowWaitApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact(Timeout = 150_000)]
    public async Task Wait_RunningWorkflow_AnswersRunningAfterItsBoundAndFinalAsSoonAsItEnds()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        string id = await server.StartAsync(Templates.Sleeps, cts.Token);
        try
        {
            await server.WaitForRunningActionAsync(id, cts.Token);
            using (HttpResponseMessage bounded = await server.Http.GetAsync($"/api/workflows/{id}?wait=0.5", cts.Token))
            {
                Assert.Equal(HttpStatusCode.Accepted, bounded.StatusCode);
                using JsonDocument body = await ServerFixture.ReadJsonAsync(bounded, cts.Token);
                Assert.Equal("RUNNING", body.RootElement.GetProperty("state").GetString());
            }

            // One read that waits (its action sleeps 120 s, longer than the wait): it answers when the cancel has ended
            // the workflow, with the final status; a read that did not wait would answer 202 RUNNING at once.
            Task<HttpResponseMessage> waiting = server.Http.GetAsync($"/api/workflows/{id}?wait=60", cts.Token);
            using (HttpResponseMessage cancel = await server.Http.PostAsJsonAsync($"/api/workflows/{id}/cancel", new { reason = "wait test" }, cts.Token))
            {
                Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
            }

            using HttpResponseMessage final = await waiting;
            Assert.Equal(HttpStatusCode.OK, final.StatusCode);
            using JsonDocument status = await ServerFixture.ReadJsonAsync(final, cts.Token);
            Assert.Equal("CANCELLED", status.RootElement.GetProperty("state").GetString());
            Assert.Equal(JsonValueKind.Array, status.RootElement.GetProperty("reruns").ValueKind);
            Assert.Empty(await server.ContainersOfAsync(id, cts.Token));

            // A finished workflow's wait answers at once with its final status.
            using HttpResponseMessage again = await server.Http.GetAsync($"/api/workflows/{id}?wait=60", cts.Token);
            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        }
        finally
        {
            Assert.Equal(0, await server.RemoveContainersOfAsync(id));
        }
    }

    [Theory(Timeout = 30_000)]
    [InlineData("soon")]
    [InlineData("-1")]
    [InlineData("61")]
    [InlineData("NaN")]
    [InlineData("")]
    public async Task Wait_BadValue_Returns400ProblemSayingWhatWaitIs(string value)
    {
        using HttpResponseMessage response = await server.Http.GetAsync($"/api/workflows/any-id?wait={Uri.EscapeDataString(value)}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument problem = await ServerFixture.ReadJsonAsync(response, CancellationToken.None);
        Assert.Contains("'wait' is how many seconds to wait for the workflow to finish, from 0 to 60", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Wait_UnknownWorkflow_Returns404AtOnce()
    {
        using HttpResponseMessage response = await server.Http.GetAsync("/api/workflows/no-such-workflow?wait=60");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
