using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Server.Tests;

public sealed class WorkflowApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private static CancellationTokenSource Bound() => new(TimeSpan.FromSeconds(90));

    [Fact(Timeout = 30_000)]
    public async Task Healthz_Get_Returns200()
    {
        using HttpResponseMessage response = await server.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact(Timeout = 120_000)]
    public async Task Start_ValidTemplate_Returns202ThenStatus200WithWorkflowStatus()
    {
        using CancellationTokenSource cts = Bound();
        string id = $"api-ok-{Guid.NewGuid():N}"[..20];
        try
        {
            using HttpResponseMessage started = await server.Http.PostAsJsonAsync("/api/workflows", new { template = Templates.Succeeds, id }, cts.Token);

            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            Assert.Equal($"{server.Http.BaseAddress}api/workflows/{id}", started.Headers.Location?.ToString());
            Assert.NotNull(started.Headers.RetryAfter);
            using (JsonDocument body = await ServerFixture.ReadJsonAsync(started, cts.Token))
            {
                Assert.Equal(id, body.RootElement.GetProperty("id").GetString());
                Assert.EndsWith($"/api/workflows/{id}", body.RootElement.GetProperty("statusQueryGetUri").GetString(), StringComparison.Ordinal);
                Assert.EndsWith($"/api/workflows/{id}/cancel", body.RootElement.GetProperty("cancelPostUri").GetString(), StringComparison.Ordinal);
                Assert.EndsWith($"/api/workflows/{id}/terminate", body.RootElement.GetProperty("terminatePostUri").GetString(), StringComparison.Ordinal);
                Assert.EndsWith($"/api/workflows/{id}", body.RootElement.GetProperty("purgeHistoryDeleteUri").GetString(), StringComparison.Ordinal);
            }

            using JsonDocument final = await server.WaitForStateAsync(id, cts.Token, WorkflowState.SUCCESS, WorkflowState.FAILED);
            using HttpResponseMessage status = await server.Http.GetAsync($"/api/workflows/{id}", cts.Token);

            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            JsonElement root = final.RootElement;
            Assert.Equal("SUCCESS", root.GetProperty("state").GetString());
            Assert.Equal("Completed", root.GetProperty("runtimeStatus").GetString());
            Assert.Equal("hello", root.GetProperty("name").GetString());
            JsonElement action = root.GetProperty("tasks")[0].GetProperty("actions")[0];
            Assert.Equal("say-hello", action.GetProperty("name").GetString());
            Assert.Equal("SUCCESS", action.GetProperty("state").GetString());
            Assert.Equal(0, action.GetProperty("exitCode").GetInt32());
            Assert.Empty(await server.ContainersOfAsync(id, cts.Token));
        }
        finally
        {
            Assert.Equal(0, await server.RemoveContainersOfAsync(id));
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Logs_RunningAction_ReadsItsLiveOutputThenTheKeptCopy()
    {
        using CancellationTokenSource cts = Bound();
        string id = await server.StartAsync(Templates.TalksThenSleeps, cts.Token);
        try
        {
            await server.WaitForRunningActionAsync(id, cts.Token);
            // The container is still running: its output comes from Docker (nothing is kept before it ends).
            while (!(await LogTextAsync()).Contains("live-line", StringComparison.Ordinal))
            {
                await Task.Delay(100, cts.Token);
            }

            using (JsonDocument running = JsonDocument.Parse(await server.Http.GetStringAsync($"/api/workflows/{id}", cts.Token)))
            {
                Assert.Equal("RUNNING", running.RootElement.GetProperty("state").GetString());
            }

            using (HttpResponseMessage cancel = await server.Http.PostAsync($"/api/workflows/{id}/cancel", null, cts.Token))
            {
                Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
            }

            using JsonDocument final = await server.WaitForStateAsync(id, cts.Token, WorkflowState.CANCELLED);
            Assert.Empty(await server.ContainersOfAsync(id, cts.Token));
            Assert.Equal("live-line\n", await LogTextAsync());
        }
        finally
        {
            Assert.Equal(0, await server.RemoveContainersOfAsync(id));
        }

        async Task<string> LogTextAsync()
        {
            using JsonDocument logs = JsonDocument.Parse(await server.Http.GetStringAsync($"/api/workflows/{id}/logs?task=rest&action=talk", cts.Token));
            return logs.RootElement.EnumerateArray().Select(l => l.GetProperty("text").GetString()).SingleOrDefault() ?? "";
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Start_InvalidTemplate_Returns400ProblemListingEveryErrorWithLineAndColumn()
    {
        using CancellationTokenSource cts = Bound();

        using HttpResponseMessage response = await server.Http.PostAsJsonAsync("/api/workflows", new { template = Templates.Invalid }, cts.Token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument body = await ServerFixture.ReadJsonAsync(response, cts.Token);
        JsonElement[] errors = [.. body.RootElement.GetProperty("errors").EnumerateArray()];
        Assert.True(errors.Length >= 2, body.RootElement.ToString());
        Assert.All(errors, e => Assert.True(e.GetProperty("line").GetInt32() > 0 && e.GetProperty("column").GetInt32() > 0));
        Assert.Contains(errors, e => e.GetProperty("message").GetString()!.Contains("global_timeout", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.GetProperty("line").GetInt32() == 7);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("{}")]
    [InlineData("{\"template\": \"\"}")]
    [InlineData("{\"template\": \"name: x\", \"id\": \"has spaces\"}")]
    [InlineData("{\"template\": \"name: x\", \"id\": \"../escape\"}")]
    [InlineData("not json")]
    public async Task Start_BadRequestBody_Returns400Problem(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using HttpResponseMessage response = await server.Http.PostAsync("/api/workflows", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("{\"template\": 42}", "line 1, byte 16 ($.template): the value has the wrong type")]
    [InlineData("{\"template\": \"name: x\", \"vars\": {\"a\": 1}}", "($.vars.a): the value has the wrong type (expected a string)")]
    [InlineData("{\"template\": \"name: x\",", "The body is not a valid request: line 1, byte ")]
    public async Task Start_UnreadableBody_Returns400SayingWhereAndWhat(string body, string detail)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");

        using HttpResponseMessage response = await server.Http.PostAsync("/api/workflows", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using JsonDocument problem = await ServerFixture.ReadJsonAsync(response, CancellationToken.None);
        Assert.Contains(detail, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Start_YamlMediaType_Returns415SayingToSendJson()
    {
        using var content = new StringContent(Templates.Succeeds, Encoding.UTF8, "application/yaml");

        using HttpResponseMessage response = await server.Http.PostAsync("/api/workflows", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        using JsonDocument problem = await ServerFixture.ReadJsonAsync(response, CancellationToken.None);
        Assert.Contains("application/json", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Start_BodyOverTheLimit_Returns413()
    {
        string template = Templates.Succeeds + "\n# " + new string('x', 70_000);

        using HttpResponseMessage response = await server.Http.PostAsJsonAsync("/api/workflows", new { template });

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using JsonDocument problem = await ServerFixture.ReadJsonAsync(response, CancellationToken.None);
        Assert.Contains($"limit of {ServerFixture.MaxRequestBodyBytes} bytes", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task Start_IdInUse_Returns409()
    {
        using CancellationTokenSource cts = Bound();
        string id = await server.StartAsync(Templates.Succeeds, cts.Token);
        try
        {
            using HttpResponseMessage again = await server.Http.PostAsJsonAsync("/api/workflows", new { template = Templates.Succeeds, id }, cts.Token);

            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            using JsonDocument _ = await server.WaitForStateAsync(id, cts.Token, WorkflowState.SUCCESS, WorkflowState.FAILED);
        }
        finally
        {
            Assert.Equal(0, await server.RemoveContainersOfAsync(id));
        }
    }

    [Theory(Timeout = 30_000)]
    [InlineData("GET", "/api/workflows/no-such-workflow")]
    [InlineData("POST", "/api/workflows/no-such-workflow/cancel")]
    [InlineData("POST", "/api/workflows/no-such-workflow/terminate")]
    [InlineData("DELETE", "/api/workflows/no-such-workflow")]
    [InlineData("GET", "/api/workflows/no-such-workflow/events")]
    [InlineData("GET", "/api/workflows/no-such-workflow/logs")]
    public async Task Route_UnknownWorkflow_Returns404Problem(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using HttpResponseMessage response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact(Timeout = 150_000)]
    public async Task Cancel_RunningWorkflow_Returns202ThenCancelledAndCleanedUpThen410()
    {
        using CancellationTokenSource cts = Bound();
        string id = await server.StartAsync(Templates.Sleeps, cts.Token);
        try
        {
            await server.WaitForRunningActionAsync(id, cts.Token);
            using (HttpResponseMessage running = await server.Http.GetAsync($"/api/workflows/{id}", cts.Token))
            {
                Assert.Equal(HttpStatusCode.Accepted, running.StatusCode);
                Assert.NotNull(running.Headers.RetryAfter);
                Assert.NotNull(running.Content.Headers.ContentType);
            }

            using (HttpResponseMessage purgeRunning = await server.Http.DeleteAsync($"/api/workflows/{id}", cts.Token))
            {
                Assert.Equal(HttpStatusCode.Conflict, purgeRunning.StatusCode);
            }

            using HttpResponseMessage cancel = await server.Http.PostAsJsonAsync($"/api/workflows/{id}/cancel", new { reason = "test" }, cts.Token);
            Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);

            using JsonDocument final = await server.WaitForStateAsync(id, cts.Token, WorkflowState.CANCELLED, WorkflowState.SUCCESS, WorkflowState.FAILED);
            Assert.Equal("CANCELLED", final.RootElement.GetProperty("state").GetString());
            Assert.Equal("Completed", final.RootElement.GetProperty("runtimeStatus").GetString());
            Assert.Empty(await server.ContainersOfAsync(id, cts.Token));

            using HttpResponseMessage cancelAgain = await server.Http.PostAsync($"/api/workflows/{id}/cancel", null, cts.Token);
            Assert.Equal(HttpStatusCode.Gone, cancelAgain.StatusCode);
            using HttpResponseMessage terminateFinished = await server.Http.PostAsync($"/api/workflows/{id}/terminate", null, cts.Token);
            Assert.Equal(HttpStatusCode.Gone, terminateFinished.StatusCode);

            using HttpResponseMessage purge = await server.Http.DeleteAsync($"/api/workflows/{id}", cts.Token);
            Assert.Equal(HttpStatusCode.NoContent, purge.StatusCode);
            using HttpResponseMessage gone = await server.Http.GetAsync($"/api/workflows/{id}", cts.Token);
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }
        finally
        {
            Assert.Equal(0, await server.RemoveContainersOfAsync(id));
        }
    }

    [Fact(Timeout = 150_000)]
    public async Task Terminate_RunningWorkflow_Returns202AndTheReaperRemovesItsContainers()
    {
        using CancellationTokenSource cts = Bound();
        string id = await server.StartAsync(Templates.Sleeps, cts.Token);
        try
        {
            await server.WaitForRunningActionAsync(id, cts.Token);
            Assert.NotEmpty(await server.ContainersOfAsync(id, cts.Token));

            using HttpResponseMessage terminate = await server.Http.PostAsJsonAsync($"/api/workflows/{id}/terminate", new { reason = "test" }, cts.Token);

            Assert.Equal(HttpStatusCode.Accepted, terminate.StatusCode);
            using JsonDocument final = await server.WaitForStateAsync(id, cts.Token, WorkflowState.CANCELLED, WorkflowState.SUCCESS, WorkflowState.FAILED);
            Assert.Equal("CANCELLED", final.RootElement.GetProperty("state").GetString());
            Assert.Equal("Terminated", final.RootElement.GetProperty("runtimeStatus").GetString());
            while ((await server.ContainersOfAsync(id, cts.Token)).Count > 0)
            {
                await Task.Delay(200, cts.Token);
            }
        }
        finally
        {
            Assert.Equal(0, await server.RemoveContainersOfAsync(id));
        }
    }

    [Fact(Timeout = 150_000)]
    public async Task EventsAndLogs_FailedWorkflow_ReturnEventsJsonStreamAndTheActionLog()
    {
        using CancellationTokenSource cts = Bound();
        string id = await server.StartAsync(Templates.Fails, cts.Token);
        try
        {
            using JsonDocument final = await server.WaitForStateAsync(id, cts.Token, WorkflowState.FAILED, WorkflowState.SUCCESS);
            Assert.Equal("FAILED", final.RootElement.GetProperty("state").GetString());

            WorkflowEvent[] events = (await server.Http.GetFromJsonAsync<WorkflowEvent[]>($"/api/workflows/{id}/events", ServerFixture.Json, cts.Token))!;
            Assert.Contains(events, e => e.Kind == WorkflowEventKind.ActionStarted && e.Action == "explode");
            Assert.Contains(events, e => e.Kind == WorkflowEventKind.ActionFailed && e.Action == "explode");
            Assert.Equal(WorkflowEventKind.WorkflowFinished, events[^1].Kind);
            Assert.Equal(events.Select(e => e.Sequence).Order(), events.Select(e => e.Sequence));
            WorkflowEvent[] later = (await server.Http.GetFromJsonAsync<WorkflowEvent[]>($"/api/workflows/{id}/events?after={events[0].Sequence}", ServerFixture.Json, cts.Token))!;
            Assert.Equal(events.Skip(1).Select(e => e.Sequence), later.Select(e => e.Sequence));

            using var sse = new HttpRequestMessage(HttpMethod.Get, $"/api/workflows/{id}/events");
            sse.Headers.Accept.ParseAdd("text/event-stream");
            using HttpResponseMessage stream = await server.Http.SendAsync(sse, cts.Token);
            Assert.Equal("text/event-stream", stream.Content.Headers.ContentType?.MediaType);
            string text = await stream.Content.ReadAsStringAsync(cts.Token);
            Assert.Contains("event: ActionFailed", text, StringComparison.Ordinal);
            Assert.Contains("event: WorkflowFinished", text, StringComparison.Ordinal);
            Assert.Contains($"id: {events[^1].Sequence}", text, StringComparison.Ordinal);

            using JsonDocument logs = JsonDocument.Parse(await server.Http.GetStringAsync($"/api/workflows/{id}/logs?task=work&action=explode", cts.Token));
            Assert.Contains(logs.RootElement.EnumerateArray(), l => l.GetProperty("text").GetString()!.Contains("about to fail", StringComparison.Ordinal));
            using HttpResponseMessage halfQuery = await server.Http.GetAsync($"/api/workflows/{id}/logs?task=work", cts.Token);
            Assert.Equal(HttpStatusCode.BadRequest, halfQuery.StatusCode);
        }
        finally
        {
            Assert.Equal(0, await server.RemoveContainersOfAsync(id));
        }
    }

    [Fact(Timeout = 150_000)]
    public async Task List_StateFilterAndPaging_ReturnsMatchingWorkflowsAndContinuation()
    {
        using CancellationTokenSource cts = Bound();
        string ok = await server.StartAsync(Templates.Succeeds, cts.Token);
        string failed = await server.StartAsync(Templates.Fails, cts.Token);
        try
        {
            using JsonDocument a = await server.WaitForStateAsync(ok, cts.Token, WorkflowState.SUCCESS, WorkflowState.FAILED);
            using JsonDocument b = await server.WaitForStateAsync(failed, cts.Token, WorkflowState.SUCCESS, WorkflowState.FAILED);

            using JsonDocument successes = JsonDocument.Parse(await server.Http.GetStringAsync("/api/workflows?state=SUCCESS", cts.Token));
            string[] ids = [.. successes.RootElement.GetProperty("workflows").EnumerateArray().Select(w => w.GetProperty("id").GetString()!)];
            Assert.Contains(ok, ids);
            Assert.DoesNotContain(failed, ids);
            Assert.All(successes.RootElement.GetProperty("workflows").EnumerateArray(), w => Assert.Equal("SUCCESS", w.GetProperty("state").GetString()));

            var seen = new List<string>();
            string? token = null;
            do
            {
                string url = "/api/workflows?top=1" + (token is null ? "" : $"&continuationToken={Uri.EscapeDataString(token)}");
                using JsonDocument page = JsonDocument.Parse(await server.Http.GetStringAsync(url, cts.Token));
                JsonElement[] rows = [.. page.RootElement.GetProperty("workflows").EnumerateArray()];
                Assert.True(rows.Length <= 1);
                seen.AddRange(rows.Select(r => r.GetProperty("id").GetString()!));
                token = page.RootElement.GetProperty("continuationToken").GetString();
            }
            while (token is not null);
            Assert.Contains(ok, seen);
            Assert.Contains(failed, seen);
            Assert.Equal(seen.Count, seen.Distinct().Count());

            using HttpResponseMessage badState = await server.Http.GetAsync("/api/workflows?state=SLEEPY", cts.Token);
            Assert.Equal(HttpStatusCode.BadRequest, badState.StatusCode);
            using HttpResponseMessage badTop = await server.Http.GetAsync("/api/workflows?top=0", cts.Token);
            Assert.Equal(HttpStatusCode.BadRequest, badTop.StatusCode);
        }
        finally
        {
            Assert.Equal(0, await server.RemoveContainersOfAsync(ok));
            Assert.Equal(0, await server.RemoveContainersOfAsync(failed));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Validate_ValidAndInvalidTemplates_Returns200Or400WithErrors()
    {
        using HttpResponseMessage valid = await server.Http.PostAsJsonAsync("/api/templates/validate", new { template = Templates.Succeeds });
        using HttpResponseMessage invalid = await server.Http.PostAsJsonAsync("/api/templates/validate", new { template = Templates.Invalid });

        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        using JsonDocument summary = await ServerFixture.ReadJsonAsync(valid, CancellationToken.None);
        Assert.Equal("hello", summary.RootElement.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        using JsonDocument problem = await ServerFixture.ReadJsonAsync(invalid, CancellationToken.None);
        Assert.True(problem.RootElement.GetProperty("errors").GetArrayLength() >= 2);
    }
}
