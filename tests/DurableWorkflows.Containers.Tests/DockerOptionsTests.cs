using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Containers.Tests;

public sealed class DockerOptionsTests
{
    private const string HostJson = """
        {
          "DurableWorkflows": {
            "TaskHub": "hub-7",
            "DataDirectory": "~/dwf-data",
            "Docker": {
              "DefaultEndpoint": "unix:///run/other.sock",
              "Workers": {
                "rack-1": "tcp://10.0.0.5:2375",
                "rack-2": { "Endpoint": "tcp://10.0.0.6:2376", "TlsCertPath": "/certs/cert.pem", "TlsKeyPath": "/certs/key.pem", "NetworkMode": "bridge" }
              },
              "UnknownWorkers": "error",
              "PullPolicy": "never",
              "Privileged": false,
              "AllowedHostPaths": [ "/srv" ],
              "StopGracePeriodSeconds": 3,
              "MaxWaitSeconds": 20,
              "ReaperPeriodSeconds": 5
            }
          }
        }
        """;

    [Fact]
    public void AddWorkflowContainers_HostJson_BindsEverySetting()
    {
        using var provider = Build(HostJson);

        var options = provider.GetRequiredService<IOptions<DockerOptions>>().Value;

        Assert.Equal("unix:///run/other.sock", options.DefaultEndpoint);
        Assert.Equal("tcp://10.0.0.5:2375", options.Workers["rack-1"].Endpoint);
        Assert.Equal("tcp://10.0.0.6:2376", options.Workers["rack-2"].Endpoint);
        Assert.Equal("/certs/key.pem", options.Workers["rack-2"].TlsKeyPath);
        Assert.Equal(UnknownWorkerPolicies.Error, options.UnknownWorkers);
        Assert.Equal(PullPolicies.Never, options.PullPolicy);
        Assert.False(options.Privileged);
        Assert.Equal(["/srv"], options.AllowedHostPaths);
        Assert.Equal(3, options.StopGracePeriodSeconds);
        Assert.Equal(20, options.MaxWaitSeconds);
        Assert.Equal(5, options.ReaperPeriodSeconds);
        Assert.Equal("hub-7", options.TaskHub);
        Assert.Equal(Path.Combine(Environment.GetEnvironmentVariable("HOME")!, "dwf-data"), options.ResolvedDataDirectory);

        var endpoints = provider.GetRequiredService<DockerEndpoints>();
        Assert.Equal("unix:///run/other.sock", endpoints.DefaultUri);
        Assert.Equal("host", endpoints.ForWorker("rack-1").NetworkMode);
        Assert.Equal("bridge", options.Workers["rack-2"].NetworkMode);
        var tls = Assert.Throws<ContainerEngineException>(() => endpoints.ForWorker("rack-2"));
        Assert.Contains("tcp://10.0.0.6:2376", tls.Message, StringComparison.Ordinal);
        Assert.Same(endpoints.ForWorker("rack-1"), endpoints.ForWorker("rack-1"));
    }

    [Fact]
    public void DockerEndpoints_WorkersOnOneEngine_OwnNetworkModeOneEngineInAll()
    {
        using var endpoints = new DockerEndpoints(Options.Create(new DockerOptions
        {
            DefaultEndpoint = "unix:///run/a.sock",
            Workers =
            {
                ["bridged"] = new DockerEndpointOptions { Endpoint = "unix:///run/a.sock", NetworkMode = "bridge" },
                ["broken-tls"] = new DockerEndpointOptions { Endpoint = "tcp://10.0.0.9:2376", TlsCertPath = "/nope/c.pem", TlsKeyPath = "/nope/k.pem" },
            },
        }));
        var skipped = new List<string>();

        var all = endpoints.All((uri, _) => skipped.Add(uri));

        Assert.Equal("bridge", endpoints.ForWorker("bridged").NetworkMode);
        Assert.Equal("host", endpoints.ForWorker("unmapped").NetworkMode);
        Assert.Equal(["unix:///run/a.sock"], all.Select(e => e.Uri));
        Assert.Equal(["tcp://10.0.0.9:2376"], skipped);
        Assert.Throws<ContainerEngineException>(() => endpoints.All());
    }

    [Fact]
    public void AddWorkflowContainers_BadSettings_ValidationNamesEach()
    {
        using var provider = Build("""
            { "DurableWorkflows": { "Docker": { "PullPolicy": "sometimes", "UnknownWorkers": "ignore", "MaxWaitSeconds": 0,
              "Workers": { "w": "ftp://x" } } } }
            """);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<DockerOptions>>().Value);

        var message = string.Join("\n", error.Failures);
        Assert.Contains("PullPolicy is 'sometimes'", message, StringComparison.Ordinal);
        Assert.Contains("UnknownWorkers is 'ignore'", message, StringComparison.Ordinal);
        Assert.Contains("MaxWaitSeconds is 0", message, StringComparison.Ordinal);
        Assert.Contains("Workers:w", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddWorkflowContainers_NoSettings_Defaults()
    {
        using var provider = Build("{}");

        var options = provider.GetRequiredService<IOptions<DockerOptions>>().Value;

        Assert.Equal(PullPolicies.IfMissing, options.PullPolicy);
        Assert.Equal("host", options.NetworkMode);
        Assert.True(options.Privileged);
        Assert.Equal(10, options.StopGracePeriodSeconds);
        Assert.Equal(30, options.MaxWaitSeconds);
        Assert.Equal(30, options.ReaperPeriodSeconds);
        Assert.EndsWith(".local/share/durableworkflows", options.ResolvedDataDirectory, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddWorkflowContainers();
        return services.BuildServiceProvider();
    }
}
