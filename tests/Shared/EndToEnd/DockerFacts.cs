using System.Diagnostics;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Testing;

/// <summary>What the tests ask Docker directly (its own view, independent of the product): containers by label, events, kills.</summary>
public sealed class DockerFacts : IDisposable
{
    /// <summary>The images the tests and the example use; scripts/build-images.sh builds them.</summary>
    public static readonly string[] Images = ["dwf-busybox:latest", "boot-files-server:latest", "password-receiver:latest"];

    private static readonly SemaphoreSlim BuildLock = new(1, 1);

    public DockerFacts() => Client = NewClient();

    public DockerClient Client { get; }

    /// <summary>Builds the images with scripts/build-images.sh when one is missing.</summary>
    public async Task EnsureImagesAsync()
    {
        await BuildLock.WaitAsync();
        try
        {
            var missing = new List<string>();
            foreach (string image in Images)
            {
                try
                {
                    await Client.Images.InspectImageAsync(image);
                }
                catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
                {
                    missing.Add(image);
                }
            }

            if (missing.Count == 0)
            {
                return;
            }

            using var build = Process.Start(new ProcessStartInfo("bash", [Path.Combine(Repo.Root, "scripts", "build-images.sh")])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            Task<string> stderr = build.StandardError.ReadToEndAsync(cts.Token);
            await build.StandardOutput.ReadToEndAsync(cts.Token);
            await build.WaitForExitAsync(cts.Token);
            Assert.True(build.ExitCode == 0, $"images {string.Join(", ", missing)} are missing and scripts/build-images.sh failed: {await stderr}");
        }
        finally
        {
            BuildLock.Release();
        }
    }

    /// <summary>Every container (running or not) labelled with the workflow id.</summary>
    public async Task<IList<ContainerListResponse>> ContainersOfAsync(string workflowId, CancellationToken cancellationToken = default) =>
        await Client.Containers.ListContainersAsync(
            new ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>>
                {
                    ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.WorkflowId}={workflowId}"] = true },
                },
            },
            cancellationToken);

    /// <summary>Fails when any container labelled with the workflow id is left.</summary>
    public async Task AssertNoContainerLeftAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        IList<ContainerListResponse> left = await ContainersOfAsync(workflowId, cancellationToken);
        Assert.True(
            left.Count == 0,
            $"containers of workflow {workflowId} left behind: {string.Join(", ", left.Select(c => $"{c.Names.FirstOrDefault()} ({c.State})"))}");
    }

    /// <summary>Removes whatever a failed test left (only this workflow's containers).</summary>
    public async Task RemoveLeftoversAsync(string workflowId)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (ContainerListResponse container in await ContainersOfAsync(workflowId, cts.Token))
        {
            try
            {
                await Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }, cts.Token);
            }
            catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict)
            {
            }
        }
    }

    /// <summary>Records Docker's events for the workflow's containers from now on (see <see cref="DockerEventLog"/>).</summary>
    public static DockerEventLog RecordEvents(string workflowId) => DockerEventLog.Start(NewClient(), workflowId);

    public void Dispose() => Client.Dispose();

    private static DockerClient NewClient()
    {
        string endpoint = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock";
        return new DockerClientConfiguration(new Uri(endpoint)).CreateClient();
    }
}
