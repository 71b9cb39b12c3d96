using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DurableWorkflows.Server.Tests;

/// <summary>A hostile template costs its own request, not the server: the API answers others while it renders, and it ends in a clear error.</summary>
public sealed class HostileTemplateApiTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact(Timeout = 120_000)]
    public async Task HostileTemplate_IsRefusedAtItsLineAndColumn_WhileTheApiKeepsAnswering()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(100));
        const string hostile = "version: \"0.1\"\nname: hostile\nx: \"{{ range until 9999999 }}{{ range until 2 }}x{{ end }}{{ end }}\"\n";
        Task<HttpResponseMessage> rendering = server.Http.PostAsJsonAsync("/api/templates/validate", new { template = hostile }, cts.Token);

        // Health answers while the hostile render runs (the render holds one request's thread, nothing more).
        int answeredMeanwhile = 0;
        while (!rendering.IsCompleted && answeredMeanwhile < 5)
        {
            using HttpResponseMessage health = await server.Http.GetAsync("/healthz", cts.Token);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            if (!rendering.IsCompleted)
            {
                answeredMeanwhile++;
            }
        }

        using HttpResponseMessage refused = await rendering;
        Assert.True(answeredMeanwhile >= 1, "the API answered while the hostile template rendered");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        using JsonDocument problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(cts.Token));
        JsonElement error = problem.RootElement.GetProperty("errors")[0];
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Contains("iterations", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
