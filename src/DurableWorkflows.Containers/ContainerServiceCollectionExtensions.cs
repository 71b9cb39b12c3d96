using DurableWorkflows.Containers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class ContainerServiceCollectionExtensions
{
    /// <summary>
    /// The container engine: <see cref="DockerOptions"/> (bound from <c>DurableWorkflows:Docker</c> and
    /// <c>DurableWorkflows:DataDirectory</c>, validated at start), <see cref="DockerEndpoints"/>, <see cref="ContainerLogs"/>,
    /// <see cref="ContainerEngine"/> (also as the <see cref="IActionRunner"/> of the action activities) and <see cref="ContainerReaper"/> (which needs an <see cref="IWorkflowLiveness"/>).
    /// </summary>
    public static IServiceCollection AddWorkflowContainers(this IServiceCollection services)
    {
        services.AddOptions<DockerOptions>()
            .BindConfiguration(DockerOptions.SectionName)
            .Configure<IConfiguration>((options, configuration) =>
            {
                if (configuration[DockerOptions.DataDirectoryKey] is { Length: > 0 } dataDirectory)
                {
                    options.DataDirectory = dataDirectory;
                }

                if (configuration[DockerOptions.TaskHubKey] is { Length: > 0 } taskHub)
                {
                    options.TaskHub = taskHub;
                }
            })
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DockerOptions>, DockerOptionsValidator>());
        services.TryAddSingleton<DockerEndpoints>();
        services.TryAddSingleton<ContainerLogs>();
        services.TryAddSingleton<ContainerEngine>();
        services.TryAddSingleton<IActionRunner>(sp => sp.GetRequiredService<ContainerEngine>());
        services.TryAddSingleton<ContainerReaper>();
        return services;
    }

    /// <summary>The reaper as a background service: at start and every ReaperPeriodSeconds. Register an <see cref="IWorkflowLiveness"/> too.</summary>
    public static IServiceCollection AddWorkflowContainerReaper(this IServiceCollection services)
    {
        services.AddWorkflowContainers();
        services.AddHostedService<ContainerReaperService>();
        return services;
    }
}
