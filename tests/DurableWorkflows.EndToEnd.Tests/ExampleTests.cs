using System.Globalization;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.EndToEnd.Tests.Infrastructure;
using DurableWorkflows.Server.Hosting;
using DurableWorkflows.Testing;

namespace DurableWorkflows.EndToEnd.Tests;

/// <summary>The README's example, examples/provision.yaml, on the real engine.</summary>
public sealed class ExampleTests(WorkflowHostFixture host) : IClassFixture<WorkflowHostFixture>
{
    [Fact(Timeout = 180_000)]
    public async Task RunWorkflow_ExampleProvisionTemplate_Succeeds()
    {
        // The example's services listen on fixed ports; a copy on free ports cannot collide with a concurrent run.
        string yaml = (await File.ReadAllTextAsync(Repo.PathOf("examples", "provision.yaml")))
            .Replace("8481", FreePort.Find().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("8482", FreePort.Find().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await using var run = new WorkflowTestRun(
            host,
            yaml,
            new Dictionary<string, string> { ["provisioner1"] = "local", ["device_1"] = "local" },
            timeoutSeconds: 150);

        WorkflowStatus status = await run.RunAsync();

        Assert.True(status.State == WorkflowState.SUCCESS, status.Message);
        Assert.All(status.Services, s => Assert.Equal("healthy", s.Health));
        Assert.All(status.Tasks.SelectMany(t => t.Actions), a => Assert.Equal(ActionState.SUCCESS, a.State));
        Assert.Contains(status.Action("os-installation", "install-root-fs")!.LogTail, l => l.StartsWith("root fs installed: ", StringComparison.Ordinal));
        Assert.Equal(["machine local ready"], status.Action("os-installation", "report-password")!.LogTail);
        await run.AssertNothingLeftAsync();
    }
}
