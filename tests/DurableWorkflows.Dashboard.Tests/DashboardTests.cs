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

    /// <summary>Clicks what <paramref name="css"/> finds, again if the page re-rendered it between the find and the click.</summary>
    private Task ClickAsync(ChromeDriver browser, string css, string what) => server.UntilAsync(() =>
    {
        browser.FindElement(By.CssSelector(css)).Click();
        return true;
    }, what);

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
        // The list redraws its rows every 2 s: each read of a row is retried when the row it found was replaced.
        await server.UntilAsync(() => browser.FindElement(By.CssSelector($"{row} td[data-progress]")).GetAttribute("data-progress") == "3/3", "the progress 3/3");

        // The name is user input: shown as text, never run.
        await server.UntilAsync(() => browser.FindElement(By.CssSelector($"{row} td:nth-child(2)")).Text == Name, "the name shown as text");
        Assert.Null(browser.ExecuteScript("return window.injected ?? null;"));
        Assert.Empty(browser.FindElements(By.CssSelector("main script")));
        DashboardServer.Screenshot(browser, "dashboard-list.png");

        // The detail, by its own URL: both services ready before the first action, the actions in order, a log.
        await ClickAsync(browser, $"{row} a", "a click on the workflow's link");
        await server.UntilAsync(() => browser.Url.EndsWith($"/workflows/{id}", StringComparison.Ordinal), "the detail's URL");
        await server.UntilAsync(() => browser.FindElements(By.CssSelector("#timeline .tl-bar[data-kind='action']")).Count == 3, "three action bars");
        IWebElement[] ready = [.. browser.FindElements(By.CssSelector("#timeline .tl-bar[data-kind='service'][data-phase='ready']"))];
        Assert.Equal(2, ready.Length);
        long[] actionStarts = [.. browser.FindElements(By.CssSelector("#timeline .tl-bar[data-kind='action']")).Select(b => Attr(b, "data-start"))];
        Assert.All(ready, r => Assert.True(Attr(r, "data-start") <= actionStarts[0], "a service was ready only after the first action started"));
        Assert.Equal([.. actionStarts.Order()], actionStarts);
        // The page redraws on each live update: read what it shows through UntilAsync, which reads again after a redraw.
        await server.UntilAsync(() => browser.FindElement(By.CssSelector("main h1")).Text.Replace(" SUCCESS", "", StringComparison.Ordinal) == Name, "the name as the title");
        browser.ExecuteScript("window.scrollTo(0, 0);");
        DashboardServer.Screenshot(browser, "dashboard-detail.png");
        await ClickAsync(browser, "details[data-log-for='task=provision&action=second'] summary", "a click on the second action's log");
        await server.UntilAsync(() => browser.FindElement(By.CssSelector("pre[data-log='task=provision&action=second']")).Text.Contains("log-line-from-second", StringComparison.Ordinal), "the second action's log");
        await server.UntilAsync(() => browser.FindElement(By.Id("rendered")).Text.Contains("log-line-from-second", StringComparison.Ordinal), "the rendered template");

        // Re-run: a new workflow that succeeds, and the original lists it.
        await ClickAsync(browser, "#rerun", "a click on re-run");
        await server.UntilAsync(() => !browser.Url.EndsWith($"/workflows/{id}", StringComparison.Ordinal), "the re-run's page");
        string rerun = browser.Url[(browser.Url.LastIndexOf('/') + 1)..];
        await server.UntilAsync(() => StateOf(browser, "main h1 .state") == "SUCCESS", "the re-run to succeed");
        await server.UntilAsync(() => browser.FindElement(By.CssSelector("[data-fact='rerun-of'] a")).Text == id, "the re-run naming its original");
        await ClickAsync(browser, "[data-fact='rerun-of'] a", "a click on the original's link");
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

    [Fact]
    public async Task Validate_shows_each_error_at_its_line_and_column_and_the_list_fits_a_phone()
    {
        const string bad = "version: \"0.1\"\nname: bad\nglobal_timeout: 60\ntasks:\n  - name: t\n    worker: local\n    actions:\n      - name: a\n        command: [\"true\"]\n";
        using HttpResponseMessage answer = await server.Http.PostAsync(
            "/api/templates/validate", new StringContent(System.Text.Json.JsonSerializer.Serialize(new { template = bad }), System.Text.Encoding.UTF8, "application/json"));
        using var problem = System.Text.Json.JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        string[] expected = [.. problem.RootElement.GetProperty("errors").EnumerateArray()
            .Where(e => e.ValueKind == System.Text.Json.JsonValueKind.Object)
            .Select(e => $"{e.GetProperty("line").GetInt32()}:{e.GetProperty("column").GetInt32()}")];
        Assert.NotEmpty(expected);

        using ChromeDriver browser = DashboardServer.Browser();
        // Signed in on the list (the validate page asks the API nothing until it is used); the token is kept for the tab.
        browser.Navigate().GoToUrl(server.BaseUrl + "/");
        await server.UntilAsync(() => DialogOpen(browser), "the sign-in prompt");
        SignIn(browser, DashboardServer.Token);
        await server.UntilAsync(() => !DialogOpen(browser), "the sign-in to close");
        browser.FindElement(By.CssSelector("a[href='/validate']")).Click();
        await server.UntilAsync(() => browser.FindElements(By.Id("validate-template")).Count > 0, "the validate page");
        browser.FindElement(By.Id("validate-template")).SendKeys(bad);
        browser.FindElement(By.Id("validate-submit")).Click();
        await server.UntilAsync(
            () => browser.FindElements(By.CssSelector("#validate-lines [data-error]")).Count > 0 || browser.FindElement(By.Id("validate-result")).Text.Length > 0,
            "the validation's answer");
        Assert.True(browser.FindElements(By.CssSelector("#validate-lines [data-error]")).Count > 0, $"no error under its line; the page says: {browser.FindElement(By.Id("validate-result")).Text}");

        // The API's errors, each under the line it names, that line marked.
        string[] shown = [.. browser.FindElements(By.CssSelector("#validate-lines [data-error]")).Select(e => e.GetAttribute("data-error")!)];
        Assert.Equal(expected, shown);
        foreach (string at in shown)
        {
            string line = at.Split(':')[0];
            Assert.Contains("bad", browser.FindElement(By.CssSelector($"#validate-lines .line[data-line='{line}']")).GetAttribute("class"), StringComparison.Ordinal);
        }

        // A phone's width: the list page is laid out for it, with nothing wider than the screen.
        using ChromeDriver phone = DashboardServer.Browser(390, 844);
        phone.Navigate().GoToUrl(server.BaseUrl + "/");
        await server.UntilAsync(() => DialogOpen(phone), "the sign-in prompt on a phone");
        SignIn(phone, DashboardServer.Token);
        await server.UntilAsync(() => !DialogOpen(phone) && phone.FindElements(By.CssSelector("#workflow-rows")).Count > 0, "the list on a phone");
        long overflow = (long)phone.ExecuteScript("return document.documentElement.scrollWidth - window.innerWidth;")!;
        Assert.True(overflow <= 0, $"the page is {overflow} px wider than a 390 px screen");
    }
}
