// Starts a service whose health check starts passing after half a second, waits for it with the container engine,
// and measures from the end of the first passing check (as Docker records it) to the moment the engine said ready.
using System.Globalization;
using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using Microsoft.Extensions.Options;

var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var data = Directory.CreateTempSubdirectory("dwf-bench-readiness-").FullName;
var options = Options.Create(new DockerOptions { DataDirectory = data, StopGracePeriodSeconds = 0, Privileged = false });
using var endpoints = new DockerEndpoints(options);
var engine = new ContainerEngine(endpoints, new ContainerLogs(options), options);
var service = new ServiceDefinition(
    "svc",
    "",
    "dwf-busybox:latest",
    new Dictionary<string, string>(),
    new Dictionary<string, string>(),
    [],
    ["sh", "-c", "sleep 0.5; touch /tmp/ready; exec sleep 60"],
    new HealthcheckDefinition(["CMD", "test", "-f", "/tmp/ready"], TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), 100, null, false),
    RestartPolicy.No,
    TimeSpan.FromMinutes(1));

var latencies = new List<double>();
for (var i = 0; i < rounds; i++)
{
    var workflowId = $"bench-readiness-{Guid.NewGuid():N}"[..28];
    try
    {
        var started = await engine.StartServiceAsync(new StartServiceInput(workflowId, service));
        ServiceReadiness readiness;
        do
        {
            readiness = await engine.AwaitServiceHealthyAsync(new AwaitServiceHealthyInput(workflowId, service, started.ContainerId));
        }
        while (readiness.Pending);

        var seen = DateTime.UtcNow;
        if (!readiness.Ready)
        {
            throw new InvalidOperationException(readiness.Reason);
        }

        var container = await endpoints.Default.Client.Containers.InspectContainerAsync(started.ContainerId);
        var firstPass = container.State.Health.Log.First(l => l.ExitCode == 0);
        latencies.Add((seen - DockerStates.AsUtc(firstPass.End).UtcDateTime).TotalMilliseconds);
    }
    finally
    {
        await engine.CleanupWorkflowAsync(new CleanupWorkflowInput(workflowId, []));
    }
}

Directory.Delete(data, recursive: true);
var order = latencies.ToList();
latencies.Sort();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"ready seen after Docker's first passing check, ms ({rounds} rounds): median {latencies[latencies.Count / 2]:0.0}, max {latencies[^1]:0.0}; in order: {string.Join(", ", order.Select(l => l.ToString("0", CultureInfo.InvariantCulture)))}"));
