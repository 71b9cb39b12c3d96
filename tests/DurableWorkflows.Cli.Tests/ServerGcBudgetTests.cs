using System.Net;
using System.Net.Sockets;

namespace DurableWorkflows.Cli.Tests;

/// <summary><c>dwf serve</c> runs with its own generation-0 budget (Common/ServerGcBudget.cs), in the process it was started as.</summary>
public sealed class ServerGcBudgetTests
{
    [Theory(Timeout = 60_000)]
    [InlineData(null, "0x400000")]
    [InlineData("0", "0")]
    [InlineData("0x800000", "0x800000")]
    public async Task Serve_OnLinux_RunsWithTheBudgetUnlessTheVariableIsSet(string? preset, string expected)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var dwf = DwfProcess.Start(
            new Dictionary<string, string?> { ["DOTNET_GCgen0size"] = preset },
            "serve", "--urls", $"http://127.0.0.1:{port}", "--task-hub", "gcbudget" + Guid.NewGuid().ToString("N")[..8]);

        // Serving: the process the test started (its id unchanged by the restart in place) has the variable.
        while (!dwf.Stderr.Contains("dwf serve: API on", StringComparison.Ordinal))
        {
            Assert.False(cts.IsCancellationRequested, $"dwf serve did not start; stderr:\n{dwf.Stderr}");
            await Task.Delay(100, CancellationToken.None);
        }

        string[] environment = (await File.ReadAllTextAsync($"/proc/{dwf.Id}/environ", cts.Token)).Split('\0');
        await dwf.InterruptAsync(cts.Token);
        int code = await dwf.WaitForExitAsync(cts.Token);

        Assert.Contains($"DOTNET_GCgen0size={expected}", environment);
        Assert.Single(environment, e => e.StartsWith("DOTNET_GCgen0size=", StringComparison.Ordinal));
        Assert.True(code == 0, $"exit code {code}; stderr:\n{dwf.Stderr}");
    }
}
