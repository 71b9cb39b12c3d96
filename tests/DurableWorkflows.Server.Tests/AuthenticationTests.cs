using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;

namespace DurableWorkflows.Server.Tests;

public sealed class AuthenticationTests
{
    [Fact(Timeout = 60_000)]
    public async Task Api_TokenConfigured_RequiresBearerTokenExceptHealthz()
    {
        string data = Directory.CreateTempSubdirectory("dwf-auth-tests-").FullName;
        var (started, port) = await ServerFixture.StartServerAsync(data, new Dictionary<string, string?> { ["DurableWorkflows:ApiToken"] = "s3cret" });
        await using WebApplication app = started;
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        try
        {
            using HttpResponseMessage health = await http.GetAsync("/healthz");
            using HttpResponseMessage none = await http.GetAsync("/api/workflows");
            using HttpResponseMessage hardware = await http.PutAsync("/api/hardware/sm01", new StringContent("disks: []"));
            using var wrongRequest = new HttpRequestMessage(HttpMethod.Get, "/api/workflows") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "guess") } };
            using HttpResponseMessage wrong = await http.SendAsync(wrongRequest);
            using var rightRequest = new HttpRequestMessage(HttpMethod.Get, "/api/workflows") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "s3cret") } };
            using HttpResponseMessage right = await http.SendAsync(rightRequest);

            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal("application/problem+json", none.Content.Headers.ContentType?.MediaType);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, hardware.StatusCode);
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }
        finally
        {
            await app.StopAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
