using Docker.DotNet;
using Docker.DotNet.Models;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace DurableWorkflows.Dashboard.Tests;

/// <summary>The dashboard in a real headless Chromium against a real <c>dwf serve</c> on the test Docker engine.</summary>
public sealed class DashboardTests(DashboardServer server) : IClassFixture<DashboardServer>
{
    private const string Name = "dash <script>window.injected=1</script>";

    private static string Template(int port, string firstAction) => $$"""
        version: "0.1"
        name: "{{Name}}"
        global_timeout: 300
        services:
          - name: files
            worker: local
            image: dwf-busybox:latest
            command: ["sh", "-c", "mkdir -p /tmp/www && echo ok > /tmp/www/index.html && exec httpd -f -p 127.0.0.1:{{port}} -h /tmp/www"]
            healthcheck:
              test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:{{port}}/"]
              interval: 100ms
              retries: 3
              start_period: 5s
          - name: slow
            worker: local
            image: dwf-busybox:latest
            command: ["sh", "-c", "sleep 1; touch /tmp/ready; exec sleep 3600"]
            healthcheck:
              test: ["CMD", "test", "-f", "/tmp/ready"]
              interval: 100ms
              retries: 3
              start_period: 5s
        tasks:
          - name: provision
            worker: local
            actions:
              - name: first
                image: dwf-busybox:latest
                command: ["sh", "-c", "{{firstAction}}"]
              - name: second
                image: dwf-busybox:latest
                command: ["sh", "-c", "echo log-line-from-second; wget -q -O - http://127.0.0.1:{{port}}/"]
              - name: third
                image: dwf-busybox:latest
                command: ["sh", "-c", "echo three"]
        """;

    private static void SignIn(ChromeDriver browser, string token)
    {
        IWebElement input = browser.FindElement(By.Id("token"));
        input.Clear();
        input.SendKeys(token);
        browser.FindElement(By.Id("sign-in-submit")).Click();
    }

    private static bool DialogOpen(ChromeDriver browser) => browser.FindElement(By.Id("sign-in")).GetAttribute("open") is not null;

    private static string StateOf(ChromeDriver browser, string css) =>
        browser.FindElements(By.CssSelector(css)).FirstOrDefault()?.GetAttribute("data-state") ?? "";

    private static long Attr(IWebElement e, string name) => long.Parse(e.GetAttribute(name)!, System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task List_detail_log_rerun_token_and_escaping_in_a_real_browser()
    {
        using ChromeDriver browser = DashboardServer.Browser();
        browser.Navigate().GoToUrl(server.BaseUrl + "/");

        // A wrong token is refused, and asked for again; the right one is kept for the session.
        await server.UntilAsync(() => DialogOpen(browser), "the sign-in prompt");
        SignIn(browser, "wrong-token");
        await server.UntilAsync(() => DialogOpen(browser) && browser.FindElement(By.Id("sign-in-error")).Text.Contains("refused", StringComparison.Ordinal), "the refusal of a wrong token");
        Assert.Empty(browser.FindElements(By.CssSelector("#workflow-rows tr")));
        SignIn(browser, DashboardServer.Token);
        await server.UntilAsync(() => !DialogOpen(browser), "the sign-in to close");
        browser.ExecuteScript("window.noReload = 'still here';");

        // Started behind the page's back: the list shows it running, then succeeded, without a reload.
        string id = await server.StartAsync(Template(DurableWorkflows.Agents.Tests.DwfProcessRun.FreePort(), "sleep 3; echo first"));
        string row = $"#workflow-rows tr[data-id='{id}']";
        await server.UntilAsync(() => StateOf(browser, row) == "RUNNING", "the list to show the workflow RUNNING");
        await server.UntilAsync(() => StateOf(browser, row) == "SUCCESS", "the list to show the workflow SUCCESS");
        Assert.Equal("still here", browser.ExecuteScript("return window.noReload;"));
        Assert.Equal("3/3", browser.FindElement(By.CssSelector($"{row} td[data-progress]")).GetAttribute("data-progress"));

        // The name is user input: shown as text, never run.
        Assert.Equal(Name, browser.FindElement(By.CssSelector($"{row} td:nth-child(2)")).Text);
        Assert.Null(browser.ExecuteScript("return window.injected ?? null;"));
        Assert.Empty(browser.FindElements(By.CssSelector("main script")));
        DashboardServer.Screenshot(browser, "dashboard-list.png");

        // The detail, by its own URL: both services ready before the first action, the actions in order, a log.
        browser.FindElement(By.CssSelector($"{row} a")).Click();
        await server.UntilAsync(() => browser.Url.EndsWith($"/workflows/{id}", StringComparison.Ordinal), "the detail's URL");
        await server.UntilAsync(() => browser.FindElements(By.CssSelector("#timeline .tl-bar[data-kind='action']")).Count == 3, "three action bars");
        IWebElement[] ready = [.. browser.FindElements(By.CssSelector("#timeline .tl-bar[data-kind='service'][data-phase='ready']"))];
        Assert.Equal(2, ready.Length);
        long[] actionStarts = [.. browser.FindElements(By.CssSelector("#timeline .tl-bar[data-kind='action']")).Select(b => Attr(b, "data-start"))];
        Assert.All(ready, r => Assert.True(Attr(r, "data-start") <= actionStarts[0], "a service was ready only after the first action started"));
        Assert.Equal([.. actionStarts.Order()], actionStarts);
        Assert.Equal(Name, browser.FindElement(By.CssSelector("main h1")).Text.Replace(" SUCCESS", "", StringComparison.Ordinal));
        browser.ExecuteScript("window.scrollTo(0, 0);");
        DashboardServer.Screenshot(browser, "dashboard-detail.png");
        browser.FindElement(By.CssSelector("details[data-log-for='task=provision&action=second'] summary")).Click();
        await server.UntilAsync(() => browser.FindElement(By.CssSelector("pre[data-log='task=provision&action=second']")).Text.Contains("log-line-from-second", StringComparison.Ordinal), "the second action's log");
        Assert.Contains("log-line-from-second", browser.FindElement(By.Id("rendered")).Text, StringComparison.Ordinal);

        // Re-run: a new workflow that succeeds, and the original lists it.
        browser.FindElement(By.Id("rerun")).Click();
        await server.UntilAsync(() => !browser.Url.EndsWith($"/workflows/{id}", StringComparison.Ordinal), "the re-run's page");
        string rerun = browser.Url[(browser.Url.LastIndexOf('/') + 1)..];
        await server.UntilAsync(() => StateOf(browser, "main h1 .state") == "SUCCESS", "the re-run to succeed");
        Assert.Equal(id, browser.FindElement(By.CssSelector("[data-fact='rerun-of'] a")).Text);
        browser.FindElement(By.CssSelector("[data-fact='rerun-of'] a")).Click();
        await server.UntilAsync(() => browser.FindElements(By.CssSelector("#reruns a")).Any(a => a.Text == rerun), "the original to list its re-run");
    }

    [Fact]
    public async Task Cancel_from_the_dashboard_ends_the_workflow_and_removes_its_containers()
    {
        using ChromeDriver browser = DashboardServer.Browser();
        string id = await server.StartAsync(Template(DurableWorkflows.Agents.Tests.DwfProcessRun.FreePort(), "sleep 300"));
        browser.Navigate().GoToUrl($"{server.BaseUrl}/workflows/{id}");
        await server.UntilAsync(() => DialogOpen(browser), "the sign-in prompt");
        SignIn(browser, DashboardServer.Token);
        await server.UntilAsync(() => StateOf(browser, "tr[data-action='provision/first']") == "RUNNING", "the first action to run");
        browser.FindElement(By.Id("cancel")).Click();
        browser.SwitchTo().Alert().Accept();
        await server.UntilAsync(() => StateOf(browser, "main h1 .state") == "CANCELLED", "the workflow to be CANCELLED");

        using DockerClient docker = new DockerClientConfiguration(new Uri(server.DockerHost)).CreateClient();
        IList<ContainerListResponse> left = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"io.durableworkflows.workflow-id={id}"] = true } },
        });
        Assert.Empty(left);
    }
}
