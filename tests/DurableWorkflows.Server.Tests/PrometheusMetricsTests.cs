using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Server.Hosting;

namespace DurableWorkflows.Server.Tests;

public sealed class TokenServerFixture() : ServerFixture(new Dictionary<string, string?> { ["DurableWorkflows:ApiToken"] = PrometheusMetricsTests.Token });

/// <summary>
/// A real Prometheus (Debian's, on loopback, with a configuration of the test's own) scrapes a real server while
/// workflows succeed, fail and time out; its own query API must count what ran. The workflows carry a template name of
/// this test's own, so what other tests in this process run is not counted.
/// </summary>
public sealed class PrometheusMetricsTests(TokenServerFixture server) : IClassFixture<TokenServerFixture>
{
    internal const string Token = "metrics-test-token";

    private static string Template(string name, string command, int timeout) => $$"""
        version: "0.1"
        name: {{name}}
        global_timeout: 120
        tasks:
          - name: provision
            worker: local
            actions:
              - name: step
                image: {{ServerFixture.Image}}
                timeout: {{timeout}}
                command: ["sh", "-c", "{{command}}"]
        """;

    [Fact(Timeout = 240_000)]
    public async Task Prometheus_CountsWhatRan_ThroughItsQueryApi()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(220));
        server.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        string name = "metrics-" + Guid.NewGuid().ToString("N")[..8];

        // The endpoint is behind the API token.
        using (var anonymous = new HttpClient { BaseAddress = server.Http.BaseAddress })
        using (HttpResponseMessage refused = await anonymous.GetAsync(WorkflowTelemetryHosting.MetricsPath, cts.Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using Prometheus prometheus = Prometheus.Start(server.Http.BaseAddress!, Token);
        string[] ids =
        [
            await server.StartAsync(Template(name, "true", 30), cts.Token),
            await server.StartAsync(Template(name, "sleep 0.3", 30), cts.Token),
            await server.StartAsync(Template(name, "exit 3", 30), cts.Token),
            await server.StartAsync(Template(name, "sleep 30", 1), cts.Token),
        ];
        foreach (string id in ids)
        {
            (await server.WaitForStateAsync(id, cts.Token, WorkflowState.SUCCESS, WorkflowState.FAILED, WorkflowState.TIMEOUT)).Dispose();
        }

        var expected = new Dictionary<string, string> { ["success"] = "2", ["failed"] = "1", ["timeout"] = "1" };
        Assert.Equal("4", await prometheus.WaitForAsync($"sum(dwf_workflows_started_total{{template=\"{name}\"}})", "4", cts.Token));
        Assert.Equal(expected, await prometheus.WaitForByAsync($"sum by (state) (dwf_workflows_finished_total{{template=\"{name}\"}})", "state", expected, cts.Token));
        Assert.Equal(expected, await prometheus.WaitForByAsync($"sum by (outcome) (dwf_action_duration_seconds_count{{template=\"{name}\"}})", "outcome", expected, cts.Token));
        Assert.Equal("4", await prometheus.WaitForAsync($"sum(dwf_workflow_duration_seconds_count{{template=\"{name}\"}})", "4", cts.Token));
        // The HTTP server's own metrics are there too (the start requests).
        Assert.Equal("1", await prometheus.WaitForAsync("sum(http_server_request_duration_seconds_count{http_route=~\"/api/workflows/?\",http_request_method=\"POST\"}) >= bool 4", "1", cts.Token));
        // Container operations per endpoint: the actions' containers were created there.
        Assert.Equal("1", await prometheus.WaitForAsync("sum(dwf_container_operations_total{operation=\"CreateOrFind\",result=\"ok\"}) >= bool 4", "1", cts.Token));
    }

    /// <summary>Prometheus as a process: its configuration scrapes the server every second, with the token.</summary>
    private sealed class Prometheus : IDisposable
    {
        private readonly Process _process;
        private readonly string _directory;
        private readonly HttpClient _http;

        private Prometheus(Process process, string directory, int port)
        {
            _process = process;
            _directory = directory;
            _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        }

        public static Prometheus Start(Uri target, string token)
        {
            string directory = Directory.CreateTempSubdirectory("dwf-prometheus-").FullName;
            int port = FreePort.Find();
            string config = Path.Combine(directory, "prometheus.yml");
            File.WriteAllText(config, $"""
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: dwf
                    metrics_path: {WorkflowTelemetryHosting.MetricsPath}
                    authorization:
                      credentials: {token}
                    static_configs:
                      - targets: ["{target.Authority}"]
                """);
            var start = new ProcessStartInfo("prometheus",
            [
                $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}", $"--web.listen-address=127.0.0.1:{port}",
            ])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException("this test needs Prometheus (apt-get install prometheus; scripts/setup.sh does)", e);
            }

            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new Prometheus(process, directory, port);
        }

        /// <summary>The query's single value (Prometheus' instant query API), or null when it has none.</summary>
        public async Task<string?> QueryAsync(string query, CancellationToken cancellationToken)
        {
            JsonElement[] result = await ResultAsync(query, cancellationToken);
            return result.Length == 0 ? null : result[0].GetProperty("value")[1].GetString();
        }

        /// <summary>
        /// Polls the query until it answers <paramref name="expected"/>, for up to a minute: a scrape that fails (a loaded
        /// machine answering /metrics after the scrape's one-second timeout) marks every series stale until one succeeds.
        /// </summary>
        public async Task<string?> WaitForAsync(string query, string expected, CancellationToken cancellationToken)
        {
            string? value = null;
            for (int i = 0; i < 120 && value != expected; i++)
            {
                await Task.Delay(i == 0 ? 0 : 500, cancellationToken);
                value = await QueryAsync(query, cancellationToken);
            }

            return value;
        }

        public async Task<Dictionary<string, string>> WaitForByAsync(string query, string label, Dictionary<string, string> expected, CancellationToken cancellationToken)
        {
            Dictionary<string, string> seen = [];
            for (int i = 0; i < 120 && !(seen.Count == expected.Count && !seen.Except(expected).Any()); i++)
            {
                await Task.Delay(i == 0 ? 0 : 500, cancellationToken);
                seen = (await ResultAsync(query, cancellationToken)).ToDictionary(
                    r => r.GetProperty("metric").GetProperty(label).GetString()!, r => r.GetProperty("value")[1].GetString()!);
            }

            return seen;
        }

        private async Task<JsonElement[]> ResultAsync(string query, CancellationToken cancellationToken)
        {
            try
            {
                using HttpResponseMessage response = await _http.GetAsync($"/api/v1/query?query={Uri.EscapeDataString(query)}", cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    return [];
                }

                using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                return [.. body.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(e => e.Clone())];
            }
            catch (HttpRequestException)
            {
                // Prometheus is still starting.
                return [];
            }
        }

        public void Dispose()
        {
            _http.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }

            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
