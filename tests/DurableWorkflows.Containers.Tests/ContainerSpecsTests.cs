using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Containers.Tests;

public sealed class ContainerSpecsTests
{
    [Fact]
    public void MergeEnvironment_SameKey_ActionWins()
    {
        var env = ContainerSpecs.MergeEnvironment(
            new Dictionary<string, string> { ["A"] = "1", ["B"] = "task" },
            new Dictionary<string, string> { ["B"] = "action", ["C"] = "3" });

        Assert.Equal(["A=1", "B=action", "C=3"], env);
    }

    [Fact]
    public void MergeVolumes_SameContainerPath_ActionWins()
    {
        var volumes = ContainerSpecs.MergeVolumes(["/srv/a:/data", "/srv/x:/x:ro", "cache:/cache"], ["/srv/b:/data/", "/anon"]);

        Assert.Equal(["/srv/b:/data/", "/srv/x:/x:ro", "cache:/cache", "/anon"], volumes.Select(v => v.Text));
        Assert.False(volumes[2].IsBindMount);
    }

    [Fact]
    public void CheckAllowed_PathOutside_ThrowsNamingPathAndOwner()
    {
        var volumes = new[] { VolumeSpec.Parse("/srv/ok/sub:/a"), VolumeSpec.Parse("/srv/okay:/b") };

        var error = Assert.Throws<ContainerEngineException>(() => ContainerSpecs.CheckAllowed(volumes, ["/srv/ok"], "action 't/a'"));

        Assert.Contains("'/srv/okay'", error.Message, StringComparison.Ordinal);
        Assert.Contains("action 't/a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckAllowed_NamedVolumeOrEmptyList_Allowed()
    {
        ContainerSpecs.CheckAllowed([VolumeSpec.Parse("cache:/cache")], ["/srv"], "x");
        ContainerSpecs.CheckAllowed([VolumeSpec.Parse("/etc:/etc")], [], "x");
    }

    [Fact]
    public void VolumeParse_TooManyColons_ClearError()
    {
        var error = Assert.Throws<ContainerEngineException>(() => VolumeSpec.Parse("/a:/b:ro:extra"));

        Assert.Contains("/a:/b:ro:extra", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Healthcheck_ComposeForms_MapToDocker()
    {
        Assert.Equal(["NONE"], ContainerSpecs.Healthcheck(new HealthcheckDefinition(null, null, null, null, null, true))!.Test);
        Assert.Equal(["CMD-SHELL", "curl -f x"], ContainerSpecs.Healthcheck(new HealthcheckDefinition(["curl -f x"], null, null, null, null, false))!.Test);
        Assert.Equal(["CMD", "pg_isready", "-q"], ContainerSpecs.Healthcheck(new HealthcheckDefinition(["pg_isready", "-q"], null, null, null, null, false))!.Test);
        var full = ContainerSpecs.Healthcheck(new HealthcheckDefinition(
            ["CMD", "true"], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), 4, TimeSpan.FromSeconds(3), false))!;
        Assert.Equal(["CMD", "true"], full.Test);
        Assert.Equal(TimeSpan.FromSeconds(2), full.Interval);
        Assert.Equal(4, full.Retries);
        Assert.Equal(3_000_000_000, full.StartPeriod);
        Assert.Null(ContainerSpecs.Healthcheck(null));
    }

    [Fact]
    public void Restart_Policies_MapToDocker()
    {
        var onFailure = ContainerSpecs.Restart(RestartPolicy.Default);
        Assert.Equal(Docker.DotNet.Models.RestartPolicyKind.OnFailure, onFailure.Name);
        Assert.Equal(3, onFailure.MaximumRetryCount);
        Assert.Equal(Docker.DotNet.Models.RestartPolicyKind.No, ContainerSpecs.Restart(RestartPolicy.No).Name);
    }
}
