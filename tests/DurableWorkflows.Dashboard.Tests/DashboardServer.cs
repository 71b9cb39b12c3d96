using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DurableWorkflows.Agents.Tests;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace DurableWorkflows.Dashboard.Tests;

/// <summary>A real <c>dwf serve</c> with an API token on the test Docker engine, and Debian's Chromium (headless) driven through chromedriver.</summary>
public sealed class DashboardServer : IAsyncLifetime
{
    public const string Token = "dashboard-secret";

    private readonly string root = Directory.CreateTempSubdirectory("dwf-dashboard-").FullName;
    private DwfProcessRun? server;

    public int Port { get; } = DwfProcessRun.FreePort();

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public HttpClient Http { get; private set; } = null!;

    public string DockerHost { get; } = Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock";

    public async Task InitializeAsync()
    {
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        server = DwfProcessRun.Start(root, new Dictionary<string, string>
        {
            ["DOCKER_HOST"] = DockerHost,
            ["DurableWorkflows:TaskHub"] = "dash" + Guid.NewGuid().ToString("N")[..10],
            ["DurableWorkflows:DataDirectory"] = Path.Combine(root, "data"),
            ["DurableWorkflows:ApiToken"] = Token,
            ["DurableWorkflows:Docker:Privileged"] = "false",
            ["DurableWorkflows:Docker:StopGracePeriodSeconds"] = "1",
            ["DurableWorkflows:Docker:PullPolicy"] = "never",
            ["DurableWorkflows:Docker:MaxWaitSeconds"] = "5",
        }, "serve", "--urls", BaseUrl);
        await server.WaitForOutputAsync("dwf serve: API on", new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
    }

    public Task DisposeAsync()
    {
        server?.Dispose();
        Http.Dispose();
        Directory.Delete(root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Headless Chromium at 1280×800 (Debian's chromium and chromium-driver; nothing is downloaded).</summary>
    public static ChromeDriver Browser(int width = 1280, int height = 800)
    {
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", $"--window-size={width},{height}");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public async Task<string> StartAsync(string template)
    {
        using HttpResponseMessage response = await Http.PostAsJsonAsync("/api/workflows", new { template });
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Polls <paramref name="condition"/> (bounded); fails with <paramref name="what"/> and the server's output.</summary>
    public async Task UntilAsync(Func<bool> condition, string what, int seconds = 90)
    {
        DateTime end = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            try
            {
                if (condition())
                {
                    return;
                }
            }
            catch (WebDriverException) when (DateTime.UtcNow < end)
            {
                // The page was redrawn under the element: read it again.
            }

            Assert.True(DateTime.UtcNow < end, $"timed out waiting for {what}\n{server?.Output}");
            await Task.Delay(100);
        }
    }

    /// <summary>Saves a screenshot under <c>DWF_SCREENSHOT_DIR</c> when it is set (the README's pictures come from here).</summary>
    public static void Screenshot(IWebDriver driver, string name)
    {
        if (Environment.GetEnvironmentVariable("DWF_SCREENSHOT_DIR") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(Path.Combine(dir, name));
        }
    }
}
