using DurableTask.Core;
using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Server.Agents;
using DurableWorkflows.Server.Api;
using DurableWorkflows.Server.Backends;
using DurableWorkflows.Server.Dashboard;
using DurableWorkflows.Server.Hardware;
using DurableWorkflows.Server.Schedules;
using DurableWorkflows.Server.Workflows;
using Grpc.AspNetCore.Server;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Server.Hosting;

/// <summary>
/// The parts a host is made of, each one call: the sidecar over a backend, the worker and client that dial it, the
/// HTTP API. <see cref="WorkflowHost"/> composes them for <c>dwf serve</c>, <c>dwf run</c> and <c>dwf sidecar</c>; the
/// test hosts compose the same calls with a backend or tasks of their own.
/// </summary>
public static class WorkflowHostExtensions
{
    /// <summary>
    /// The gRPC sidecar (<see cref="TaskHubGrpcServer"/>) over the backend the options name (memory or azurestorage,
    /// behind its concurrency decorator). Map it with <see cref="MapWorkflowSidecar"/>.
    /// </summary>
    public static IServiceCollection AddWorkflowSidecar(this IServiceCollection services)
    {
        services.AddSingleton(sp => OrchestrationBackend.Create(
            sp.GetRequiredService<IOptions<DurableWorkflowsOptions>>().Value,
            sp.GetRequiredService<IConfiguration>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()));
        services.AddHostedService<BackendLifetime>();
        return services.AddWorkflowSidecar(
            sp => sp.GetRequiredService<ConcurrencyLimitedOrchestrationService>(),
            sp => sp.GetRequiredService<ConcurrencyLimitedOrchestrationService>());
    }

    /// <summary>The gRPC sidecar over a backend of the caller's (a test's recording one): its service, and its client for queries and purges.</summary>
    public static IServiceCollection AddWorkflowSidecar(
        this IServiceCollection services, Func<IServiceProvider, IOrchestrationService> backend, Func<IServiceProvider, IOrchestrationServiceClient> client)
    {
        services.AddGrpc();
        services.AddOptions<TaskHubGrpcServerOptions>();
        services.AddSingleton(backend);
        services.AddSingleton(client);
        services.AddSingleton<TaskHubGrpcServer>();
        return services;
    }

    /// <summary>Maps the sidecar's gRPC service, on <paramref name="port"/> only when one is given.</summary>
    public static IEndpointRouteBuilder MapWorkflowSidecar(this IEndpointRouteBuilder app, int? port = null)
    {
        // The body limit is the API's: the sidecar's own calls (an orchestration's input, its history) are not bounded by it.
        var sidecar = app.MapGrpcService<TaskHubGrpcServer>().WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute());
        if (port is { } p)
        {
            sidecar.RequireHost($"*:{p}");
        }

        return app;
    }

    /// <summary>
    /// The worker and the client, both over <paramref name="sidecar"/>, with the tasks <paramref name="register"/> adds
    /// (the workflows' orchestrations and activities and their container engine when null), and the services that
    /// start, read and control workflows, schedules and hardware records through the client.
    /// </summary>
    public static IServiceCollection AddWorkflowWorker(this IServiceCollection services, Uri sidecar, Action<DurableTaskRegistry>? register = null)
    {
        if (register is null)
        {
            WorkflowTasks.AddServices(services);
        }

        var channels = new SidecarChannels(sidecar);
        services.AddSingleton(_ => channels);
        services.AddDurableTaskWorker(worker =>
        {
            worker.AddTasks(register ?? WorkflowTasks.Register);
            worker.UseGrpc(channels.Worker);
        });
        services.AddDurableTaskClient(client => client.UseGrpc(channels.Client));
        services.AddHostedService<WorkerFirstShutdown>();
        services.AddSingleton<WorkflowManager>();
        services.AddSingleton<WorkflowStarter>();
        services.AddSingleton<WorkflowReruns>();
        services.AddSingleton<IWorkflowStarter>(sp => sp.GetRequiredService<WorkflowStarter>());
        services.AddSingleton<ScheduleClient>();
        services.AddSingleton<IHardwareInventory, DurableHardwareInventory>();
        services.AddSingleton<ITemplateStore, DurableTemplateStore>();
        return services;
    }

    /// <summary>
    /// The HTTP API's services: problem details for every error (a body the endpoints cannot read says what and
    /// where), and the reaper with what it needs to know which workflows are alive. Map it with <see cref="MapWorkflowApi"/>.
    /// </summary>
    public static IServiceCollection AddWorkflowApi(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = BadRequestProblemHandler.AddMissingDetail);
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddExceptionHandler<BadRequestProblemHandler>();
        services.AddSingleton<IWorkflowLiveness, DurableWorkflowLiveness>();
        services.AddSingleton<IDockerEndpointSource, HardwareEndpointSource>();
        services.AddWorkflowContainerReaper();
        services.AddHostedService<MemoryBackendShutdown>();
        return services;
    }

    /// <summary>
    /// The agent endpoint: Tinkerbell's current agent protocol and our log upload, behind the agent token, with the
    /// agent message size limit. Map it with <see cref="MapWorkflowAgents"/>.
    /// </summary>
    public static IServiceCollection AddWorkflowAgents(this IServiceCollection services)
    {
        services.AddOptions<AgentOptions>().BindConfiguration(AgentOptions.SectionName);
        services.AddSingleton<AgentWork>();
        services.AddSingleton<AgentPresence>();
        services.AddSingleton<TinkWorkerIds>();
        services.AddSingleton<AgentTokenInterceptor>();
        services.AddGrpc();
        services.AddOptions<GrpcServiceOptions<TinkAgentService>>().Configure<IOptions<AgentOptions>>((o, agents) => AgentCalls<TinkAgentService>(o, agents.Value));
        services.AddOptions<GrpcServiceOptions<AgentLogUploadService>>().Configure<IOptions<AgentOptions>>((o, agents) => AgentCalls<AgentLogUploadService>(o, agents.Value));
        // tink-worker has no way to send a token: its endpoint is guarded by where it listens and by TLS, not by the token.
        services.AddOptions<GrpcServiceOptions<TinkWorkerService>>().Configure<IOptions<AgentOptions>>((o, agents) =>
        {
            o.Interceptors.Add<AgentCallCounter<TinkWorkerService>>();
            o.MaxReceiveMessageSize = agents.Value.MaxMessageBytes;
        });
        return services;

        static void AgentCalls<TService>(GrpcServiceOptions o, AgentOptions agents)
        {
            o.Interceptors.Add<AgentCallCounter<TService>>();
            o.Interceptors.Add<AgentTokenInterceptor>();
            o.MaxReceiveMessageSize = agents.MaxMessageBytes;
        }
    }

    /// <summary>
    /// Maps each protocol's services on its own ports only: both protocols name their service <c>proto.WorkflowService</c>
    /// and share a method path (<c>ReportActionStatus</c>) with other messages.
    /// </summary>
    public static IEndpointRouteBuilder MapWorkflowAgents(this IEndpointRouteBuilder app, IReadOnlyList<AgentEndpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        string[] agentHosts = [.. endpoints.Where(e => e.Protocol == AgentProtocol.TinkAgent).Select(e => $"*:{e.Port}")];
        string[] workerHosts = [.. endpoints.Where(e => e.Protocol == AgentProtocol.TinkWorker).Select(e => $"*:{e.Port}")];
        if (agentHosts.Length > 0)
        {
            app.MapGrpcService<TinkAgentService>().RequireHost(agentHosts);
            app.MapGrpcService<AgentLogUploadService>().RequireHost(agentHosts);
        }

        if (workerHosts.Length > 0)
        {
            app.MapGrpcService<TinkWorkerService>().RequireHost(workerHosts);
        }

        return app;
    }

    /// <summary>The API's routes: workflows, templates, schedules, hardware; errors as problem details; and the dashboard that uses them.</summary>
    public static WebApplication MapWorkflowApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapWorkflowRoutes();
        app.MapScheduleApi();
        app.MapHardwareApi();
        app.MapTemplateApi();
        app.MapDashboard();
        return app;
    }
}
