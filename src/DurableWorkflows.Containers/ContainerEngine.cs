using Docker.DotNet;
using DurableWorkflows.Containers.DockerApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Containers;

/// <summary>
/// The containers of workflows on Docker: services, actions, their logs and their cleanup. Every operation is safe
/// to run more than once (names are deterministic, creation finds what is already there, cleanup goes by label)
/// and every wait returns within a bound, so it fits activities whose locks are never renewed. Split by concern:
/// <c>ContainerEngine.Services.cs</c>, <c>.Actions.cs</c>, <c>.Cleanup.cs</c>; the Docker calls themselves are in
/// <c>DockerApi/</c>, the create parameters in <see cref="ContainerParameters"/>, the readiness decision in
/// <see cref="ServiceReadinessDecision"/>.
/// </summary>
public sealed partial class ContainerEngine : IActionRunner, IDisposable
{
    /// <summary>Where the per-workflow folder is mounted in every container.</summary>
    public const string WorkflowMountPath = "/workflow";

    private readonly DockerEndpoints _endpoints;
    private readonly ContainerLogs _logs;
    private readonly DockerOptions _options;
    private readonly ILogger _logger;
    private readonly DockerContainerOperations _containers;
    private readonly StartsInFlight _serviceStarts = new();

    /// <summary>The longest a container prepared ahead of time waits for the workflow's service starts under way.</summary>
    private static readonly TimeSpan ServiceStartsBound = TimeSpan.FromSeconds(5);

    public ContainerEngine(DockerEndpoints endpoints, ContainerLogs logs, IOptions<DockerOptions> options, ILogger<ContainerEngine>? logger = null)
    {
        _endpoints = endpoints;
        _logs = logs;
        _options = options.Value;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _containers = new DockerContainerOperations(_options, new DockerImageOperations(_options, _logger), _logger);
    }

    public DockerEndpoints Endpoints => _endpoints;

    public ContainerLogs Logs => _logs;

    /// <summary>The host folder shared by a workflow's containers (mounted at <see cref="WorkflowMountPath"/>).</summary>
    public string WorkflowDirectory(string workflowId) =>
        Path.Combine(_options.ResolvedDataDirectory, "workflows", ContainerNames.SafeFileName(workflowId));

    /// <summary>The workflow's folder, made if missing, as a bind of <see cref="WorkflowMountPath"/>.</summary>
    private string WorkflowMount(string workflowId)
    {
        Directory.CreateDirectory(WorkflowDirectory(workflowId));
        return WorkflowBind(workflowId);
    }

    /// <summary>The bind of the workflow's folder at <see cref="WorkflowMountPath"/>, as Docker's binds write it.</summary>
    private string WorkflowBind(string workflowId) => $"{WorkflowDirectory(workflowId)}:{WorkflowMountPath}";

    /// <summary>
    /// Makes a new process's first Docker calls cheap, while the rest of it starts: opens the default endpoint's event
    /// stream and makes the read-only calls a run starts with (its containers by label, which finds none yet; its
    /// images), so the Docker client's code is compiled before the first container is due. Best effort: what fails here
    /// the run meets and reports itself.
    /// </summary>
    public async Task WarmUpAsync(string workflowId, IEnumerable<string> images, CancellationToken cancellationToken = default)
    {
        var endpoint = _endpoints.Default;
        endpoint.Events.Open();
        try
        {
            await DockerContainerOperations.ListAsync(endpoint, workflowId, null, cancellationToken);
            await Task.WhenAll(images.Distinct(StringComparer.Ordinal).Select(i => DockerImageOperations.ExistsAsync(endpoint, i, cancellationToken)));
        }
        catch (Exception e) when (e is ContainerEngineException or DockerApiException or HttpRequestException or OperationCanceledException)
        {
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
