using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.Testing;
using Xunit.Abstractions;

namespace DurableWorkflows.Server.Tests;

/// <summary>A server that never pulls images (a mutated image name fails at once instead of waiting on a registry).</summary>
public sealed class NoPullServerFixture() : ServerFixture(new Dictionary<string, string?>
{
    ["DurableWorkflows:Docker:PullPolicy"] = "never",
});

/// <summary>Tests that load the machine: they run alone, after the others, so timing-sensitive tests do not share the CPU with them.</summary>
[CollectionDefinition(nameof(HeavyTests), DisableParallelization = true)]
public sealed class HeavyTests;

/// <summary>
/// Thousands of mutated templates (and mangled request bodies) through the HTTP API: never a 5xx; a 2xx exactly for the
/// templates the validator accepts; every 4xx an RFC 7807 problem whose detail says what is wrong, and for a template
/// where (line:column). Deterministic: a fixed seed, so a failure names the mutation that caused it.
/// </summary>
[Collection(nameof(HeavyTests))]
public sealed partial class TemplateFuzzApiTests(NoPullServerFixture server, ITestOutputHelper output) : IClassFixture<NoPullServerFixture>
{
    private const int ValidateRequests = 10_000;
    private const int StartRequests = 300;
    private const int Parallelism = 4;

    private static readonly Dictionary<string, string> Vars = new(StringComparer.Ordinal)
    {
        ["device_1"] = "d1",
        ["provisioner1"] = "p1",
        ["worker"] = "w1",
    };

    /// <summary>A Tinkerbell-style template whose Go template actions pick values; its actions end at once.</summary>
    private const string QuickTinkerbell = """
        version: "0.1"
        name: quick_{{ .device_1 | lower }}
        global_timeout: 60
        tasks:
          - name: "os-installation"
            worker: "{{.device_1}}"
            environment:
              DEST_DISK: {{ if eq .device_1 "d1" }}/dev/sda{{ else }}/dev/nvme0n1{{ end }}
              WORKFLOW: "{{ workflowid }}"
            actions:
              - name: "stream-image"
                image: dwf-busybox:latest
                timeout: 20
                command: ["sh", "-c", "echo {{ printf "%s-%s" .device_1 .worker }}"]
              - name: "kexec"
                image: dwf-busybox:latest
                timeout: 20
                retries: 1
                environment:
                  BLOCK_DEVICE: {{ formatPartition "/dev/sda" 1 }}
                command: ["true"]
        """;

    /// <summary>A workflow with a background service (no health check: running is ready) and one quick action.</summary>
    private const string QuickWithService = """
        version: "0.1"
        name: with_service
        global_timeout: 60
        services:
          - name: idle
            worker: "{{.worker}}"
            image: dwf-busybox:latest
            command: ["sleep", "30"]
            startup_timeout: 20s
        tasks:
          - name: work
            worker: "{{.worker}}"
            actions:
              - name: done
                image: dwf-busybox:latest
                timeout: 20
                command: ["sh", "-c", "echo {{ .device_1 }}"]
        """;

    private static readonly string[] ValidateSeeds =
    [
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "provision.yaml")),
        TemplateFixtures.HelloWorld,
        TemplateFixtures.Debian,
        TemplateFixtures.Seed,
        TemplateFixtures.Full,
        QuickTinkerbell,
        QuickWithService,
    ];

    /// <summary>Templates whose workflows, if valid after mutation, end within seconds and start no fixed-port server.</summary>
    private static readonly string[] StartSeeds = [QuickTinkerbell, QuickWithService, Templates.Succeeds];

    [Fact]
    public void Seeds_AreValid()
    {
        foreach (string seed in ValidateSeeds.Concat(StartSeeds))
        {
            TemplateLoadResult loaded = WorkflowTemplate.Load(seed, new TemplateData(Vars, "seed"));
            Assert.True(loaded.IsValid, string.Join("\n", loaded.Errors) + "\n" + seed);
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task Validate_MutatedTemplates_AnswerValidOrProblemWithLineAndColumn()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var random = new Random(20_261_127);
        Request[] requests = [.. Enumerable.Range(0, ValidateRequests).Select(i => NewRequest(i, random, ValidateSeeds, "validate"))];
        var failures = new List<string>();
        var answers = new Dictionary<int, int>();

        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cts.Token }, async (request, ct) =>
        {
            using HttpResponseMessage response = await PostAsync("/api/templates/validate", request, ct);
            string? failure = await CheckAsync(request, response, HttpStatusCode.OK, ct);
            lock (failures)
            {
                answers[(int)response.StatusCode] = answers.GetValueOrDefault((int)response.StatusCode) + 1;
                if (failure is not null)
                {
                    failures.Add(failure);
                }
            }
        });

        output.WriteLine($"{ValidateRequests} requests: {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Value} x {a.Key}"))}");
        int valid = answers.GetValueOrDefault(200);
        int problems = answers.Where(a => a.Key >= 400).Sum(a => a.Value);

        Assert.True(failures.Count == 0, $"{failures.Count} of {ValidateRequests} answers were wrong; the first:\n\n{string.Join("\n\n", failures.Take(5))}");
        // Both outcomes must be exercised, or the test proves little.
        Assert.InRange(valid, ValidateRequests / 20, ValidateRequests / 2);
        Assert.InRange(problems, ValidateRequests / 2, ValidateRequests);
    }

    [Fact(Timeout = 300_000)]
    public async Task Start_MutatedTemplates_StartExactlyTheValidOnesAndLeaveNoContainer()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var random = new Random(20_261_128);
        Request[] requests = [.. Enumerable.Range(0, StartRequests).Select(i => NewRequest(i, random, StartSeeds, $"fz{i}-{Guid.NewGuid():N}"[..24]))];
        var failures = new List<string>();
        var started = new List<string>();
        try
        {
            await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cts.Token }, async (request, ct) =>
            {
                using HttpResponseMessage response = await PostAsync("/api/workflows", request, ct);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    lock (started)
                    {
                        started.Add(request.Id);
                    }

                    // Valid mutations start real workflows: stop each at once (the reaper removes what it had started).
                    using HttpResponseMessage terminated = await server.Http.PostAsync($"/api/workflows/{request.Id}/terminate", null, ct);
                    Assert.True(terminated.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.Gone, $"terminate {request.Id}: {terminated.StatusCode}");
                }

                string? failure = await CheckAsync(request, response, HttpStatusCode.Accepted, ct);
                if (failure is not null)
                {
                    lock (failures)
                    {
                        failures.Add(failure);
                    }
                }
            });

            Assert.True(failures.Count == 0, $"{failures.Count} of {StartRequests} answers were wrong; the first:\n\n{string.Join("\n\n", failures.Take(5))}");
            output.WriteLine($"{StartRequests} start requests: {started.Count} valid templates started (202), {StartRequests - started.Count} refused");
            Assert.InRange(started.Count, 1, StartRequests / 2);

            // Every started workflow's containers are gone within a few reaper periods.
            foreach (string id in started)
            {
                while ((await server.ContainersOfAsync(id, cts.Token)).Count > 0)
                {
                    await Task.Delay(200, cts.Token);
                }
            }
        }
        finally
        {
            // Nothing is left even when the test failed (on success the wait above found nothing left).
            foreach (string id in started)
            {
                await server.RemoveContainersOfAsync(id);
            }
        }
    }

    /// <summary>One request: the body's bytes, and what the validator says of the template the server will read from it.</summary>
    private sealed record Request(int Index, string Id, byte[] Body, string? ContentType, string? Template, TemplateLoadResult? Expected, string Mutation);

    /// <summary>Mostly a template mutated one to three times; one request in twenty a mangled body instead.</summary>
    private static Request NewRequest(int index, Random random, string[] seeds, string id)
    {
        string seed = seeds[index % seeds.Length];
        if (random.Next(20) == 0)
        {
            return MangledBody(index, random, seed, id);
        }

        string text = seed;
        for (int r = 1 + random.Next(3); r > 0; r--)
        {
            text = TemplateMutator.Mutate(text, random);
        }

        bool withId = id != "validate";
        byte[] body = withId
            ? JsonSerializer.SerializeToUtf8Bytes(new { template = text, vars = Vars, id })
            : JsonSerializer.SerializeToUtf8Bytes(new { template = text, vars = Vars });
        // The template as the server will read it (JSON has no unpaired surrogates: they arrive replaced).
        string received = JsonDocument.Parse(body).RootElement.GetProperty("template").GetString()!;
        TemplateLoadResult? expected = string.IsNullOrWhiteSpace(received) ? null : WorkflowTemplate.Load(received, new TemplateData(Vars, id));
        return new Request(index, id, body, "application/json", received, expected, "template");
    }

    /// <summary>A body that is not a proper request: broken JSON, wrong types, invalid UTF-8, a wrong media type.</summary>
    private static Request MangledBody(int index, Random random, string seed, string id)
    {
        string template = JsonSerializer.Serialize(seed);
        (string kind, byte[] body, string? contentType) = random.Next(10) switch
        {
            0 => ("truncated JSON", Encoding.UTF8.GetBytes($"{{\"template\": {template}")[..(10 + random.Next(template.Length))], "application/json"),
            1 => ("template is a number", Encoding.UTF8.GetBytes("{\"template\": 42}"), "application/json"),
            2 => ("template is a list", Encoding.UTF8.GetBytes($"{{\"template\": [{template}]}}"), "application/json"),
            3 => ("vars is a list", Encoding.UTF8.GetBytes($"{{\"template\": {template}, \"vars\": [\"a\", \"b\"]}}"), "application/json"),
            4 => ("a var is a number", Encoding.UTF8.GetBytes($"{{\"template\": {template}, \"vars\": {{\"device_1\": 7}}}}"), "application/json"),
            5 => ("invalid UTF-8", [.. Encoding.UTF8.GetBytes("{\"template\": \"name: "), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\"}")], "application/json"),
            6 => ("not JSON", Encoding.UTF8.GetBytes(seed), "application/json"),
            7 => ("YAML media type", Encoding.UTF8.GetBytes(seed), "application/yaml"),
            8 => ("no media type", Encoding.UTF8.GetBytes($"{{\"template\": {template}}}"), null),
            _ => ("empty body", [], "application/json"),
        };
        return new Request(index, id, body, contentType, null, null, kind);
    }

    private async Task<HttpResponseMessage> PostAsync(string path, Request request, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(request.Body);
        if (request.ContentType is not null)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue(request.ContentType);
        }

        return await server.Http.PostAsync(path, content, cancellationToken);
    }

    /// <summary>Null when the answer is right for the request, else what is wrong with it (and the request).</summary>
    private static async Task<string?> CheckAsync(Request request, HttpResponseMessage response, HttpStatusCode success, CancellationToken cancellationToken)
    {
        string body = await response.Content.ReadAsStringAsync(cancellationToken);
        int status = (int)response.StatusCode;
        string? wrong = Wrong();
        return wrong is null ? null
            : $"request {request.Index} ({request.Mutation}): {wrong}\n--- answer {status} ---\n{Cut(body)}\n--- template ---\n{Cut(request.Template ?? Encoding.UTF8.GetString(request.Body))}";

        string? Wrong()
        {
            if (status >= 500)
            {
                return "a server error";
            }

            bool tooLarge = request.Body.Length > ServerFixture.MaxRequestBodyBytes;
            if (request.Expected is { IsValid: true } && !tooLarge)
            {
                return response.StatusCode == success ? null : $"the template is valid, but the answer is {status}, not {(int)success}";
            }

            if (response.IsSuccessStatusCode)
            {
                return tooLarge ? "a body over the limit was accepted" : "an invalid request was accepted";
            }

            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            {
                return $"a {status} that is not problem details ({response.Content.Headers.ContentType})";
            }

            using JsonDocument problem = JsonDocument.Parse(body);
            JsonElement root = problem.RootElement;
            if (!root.TryGetProperty("status", out JsonElement s) || s.GetInt32() != status
                || !root.TryGetProperty("title", out JsonElement title) || string.IsNullOrWhiteSpace(title.GetString())
                || !root.TryGetProperty("detail", out JsonElement detail) || string.IsNullOrWhiteSpace(detail.GetString()))
            {
                return "the problem lacks a status, a title or a detail saying what is wrong";
            }

            if (tooLarge)
            {
                return status == 413 ? null : $"a body over the limit got {status}, not 413";
            }

            if (request.Expected is null)
            {
                return status == 400 || (status == 415 && request.ContentType != "application/json") ? null : $"a malformed body got {status}";
            }

            // An invalid template: 400, every error where it is (inside the text) and what.
            if (status != 400 || !root.TryGetProperty("errors", out JsonElement errors) || errors.GetArrayLength() == 0)
            {
                return "an invalid template needs a 400 listing its errors";
            }

            int lines = LineCount(request.Template!);
            foreach (JsonElement error in errors.EnumerateArray())
            {
                int line = error.GetProperty("line").GetInt32();
                int column = error.GetProperty("column").GetInt32();
                if (line < 1 || line > lines || column < 1 || column > request.Template!.Length + 1
                    || string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()))
                {
                    return $"error {line}:{column} is not inside the template or says nothing";
                }
            }

            return detail.GetString()!.Split('\n').All(l => LineColumnMessage().IsMatch(l)) ? null : "the detail does not say LINE:COLUMN: message for each error";
        }
    }

    /// <summary>Lines as the template's error positions count them: \n, \r\n and a lone \r each end one.</summary>
    private static int LineCount(string text) =>
        1 + text.Where((c, i) => c == '\n' || (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))).Count();

    private static string Cut(string text) => text.Length <= 1500 ? text : text[..1500] + $"... ({text.Length} characters)";

    [GeneratedRegex(@"^\d+:\d+: \S")]
    private static partial Regex LineColumnMessage();
}
