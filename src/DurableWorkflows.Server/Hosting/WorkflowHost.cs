using System.ComponentModel.DataAnnotations;
using System.Net;
using DurableWorkflows.Core.Templates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Server.Hosting;

/// <summary>Builds the one host every role runs: the gRPC sidecar over a backend, and depending on the role the worker, the client and the HTTP API.</summary>
public static class WorkflowHost
{
    /// <summary>The environment variable that overrides the storage connection string.</summary>
    public const string StorageConnectionVariable = "DWF_STORAGE_CONNECTION";

    /// <summary>The default port of <c>dwf sidecar</c> (the Durable Task SDK's default address is localhost:4001).</summary>
    public const int DefaultSidecarPort = 4001;

    /// <summary>Builds the host. <paramref name="overrides"/> are configuration keys (e.g. <c>DurableWorkflows:Backend</c>) from the command line; they win over everything.</summary>
    public static WebApplication Build(
        ServerRole role,
        IReadOnlyDictionary<string, string?>? overrides = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = Directory.GetCurrentDirectory(),
        });
        AddConfiguration(builder.Configuration, overrides);
        if (role == ServerRole.Run)
        {
            // `dwf run` keeps its workflows in memory, where no server sees them: a task hub of its own keeps the reaper
            // of a server on the same Docker engine (it removes its hub's containers whose workflow it does not know) off them.
            builder.Configuration.AddInMemoryCollection([new($"{DurableWorkflowsOptions.SectionName}:TaskHub", $"run{Guid.NewGuid():N}")]);
        }

        DurableWorkflowsOptions options = ReadOptions(builder.Configuration);
        // sprig's env and expandenv would read this server's environment: only when the operator allows it.
        GoTemplates.Sprig.SprigNonHermetic.EnvironmentAllowed = builder.Configuration.GetValue<bool>(GoTemplates.Sprig.SprigNonHermetic.EnvironmentSetting);
        TemplateRenderer.Configure(builder.Configuration.GetSection(TemplateRenderer.LimitsSection).Get<GoTemplates.RenderLimits>() ?? GoTemplates.RenderLimits.Default);
        bool metrics = role == ServerRole.Serve && WorkflowTelemetryHosting.MetricsEnabled(builder.Configuration);
        int sidecarPort = role switch
        {
            ServerRole.Sidecar => options.SidecarPort == 0 ? DefaultSidecarPort : options.SidecarPort,
            ServerRole.Serve when options.SidecarPort != 0 => options.SidecarPort,
            _ => FreePort.Find(),
        };
        var sidecar = new SidecarAddress(new Uri($"http://127.0.0.1:{sidecarPort}"));

        IReadOnlyList<AgentEndpoint> agentEndpoints = role == ServerRole.Serve ? AgentEndpoint.Read(builder.Configuration) : [];
        ConfigureLogging(builder.Logging, role);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
        builder.Services.AddOptions<DurableWorkflowsOptions>()
            .BindConfiguration(DurableWorkflowsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton(sidecar);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            // The worker fails with HTTP_1_1_REQUIRED on a plain-text endpoint that also speaks HTTP/1.1.
            kestrel.Listen(IPAddress.Loopback, sidecarPort, listen => listen.Protocols = HttpProtocols.Http2);
            if (role == ServerRole.Serve)
            {
                foreach (string url in options.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    ListenOn(kestrel, url);
                }

                AgentEndpoint.Listen(kestrel, agentEndpoints, builder.Configuration);
            }
        });

        builder.Services.AddWorkflowSidecar();
        if (role != ServerRole.Sidecar)
        {
            builder.Services.AddWorkflowWorker(sidecar.Uri);
        }

        if (role == ServerRole.Run)
        {
            builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        }

        if (role == ServerRole.Serve)
        {
            builder.Services.AddWorkflowApi();
            builder.Services.AddWorkflowAgents();
            if (metrics)
            {
                builder.Services.AddWorkflowTelemetry(builder.Configuration);
            }
        }

        configure?.Invoke(builder);
        WebApplication app = builder.Build();
        app.MapWorkflowSidecar(sidecarPort);
        if (role == ServerRole.Serve)
        {
            if (metrics)
            {
                app.MapWorkflowMetrics();
            }
            app.MapWorkflowApi();
            app.MapWorkflowAgents(agentEndpoints);
        }

        return app;
    }

    /// <summary>
    /// host.json next to the executable, then in the current directory, then environment variables
    /// (<c>DurableWorkflows__Docker__Privileged=false</c>), then <c>DWF_STORAGE_CONNECTION</c>, then the command line.
    /// </summary>
    public static void AddConfiguration(IConfigurationBuilder configuration, IReadOnlyDictionary<string, string?>? overrides)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.AddJsonFile(Path.Combine(AppContext.BaseDirectory, "host.json"), optional: true, reloadOnChange: false);
        configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "host.json"), optional: true, reloadOnChange: false);
        configuration.AddEnvironmentVariables();
        string? storage = Environment.GetEnvironmentVariable(StorageConnectionVariable);
        if (!string.IsNullOrWhiteSpace(storage))
        {
            configuration.AddInMemoryCollection([new($"{DurableWorkflowsOptions.SectionName}:StorageConnection", storage)]);
        }

        if (overrides is { Count: > 0 })
        {
            configuration.AddInMemoryCollection(overrides);
        }
    }

    /// <summary>Binds and validates the options now, so a bad setting stops the start with a clear message.</summary>
    public static DurableWorkflowsOptions ReadOptions(IConfiguration configuration)
    {
        DurableWorkflowsOptions options = configuration.GetSection(DurableWorkflowsOptions.SectionName).Get<DurableWorkflowsOptions>() ?? new();
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            throw new OptionsValidationException(
                DurableWorkflowsOptions.SectionName,
                typeof(DurableWorkflowsOptions),
                results.Select(r => $"{DurableWorkflowsOptions.SectionName}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
        }

        if (options.Backend == BackendNames.AzureStorage && string.IsNullOrWhiteSpace(options.StorageConnection))
        {
            throw new OptionsValidationException(
                DurableWorkflowsOptions.SectionName,
                typeof(DurableWorkflowsOptions),
                [$"The azurestorage backend needs a storage connection ({DurableWorkflowsOptions.SectionName}:StorageConnection, {StorageConnectionVariable} or --storage-connection)."]);
        }

        return options;
    }

    private static void ConfigureLogging(ILoggingBuilder logging, ServerRole role)
    {
        // The storage provider logs every message it moves; only its problems matter here.
        logging.AddFilter("DurableTask.AzureStorage", LogLevel.Warning);
        logging.AddFilter("DurableTask.Core", LogLevel.Warning);
        logging.AddFilter("Microsoft.DurableTask", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Grpc", LogLevel.Warning);
        if (role == ServerRole.Run)
        {
            // `dwf run` writes its own progress on stderr; the host speaks only when something is wrong.
            logging.SetMinimumLevel(LogLevel.Error);
        }
    }

    private static void ListenOn(KestrelServerOptions kestrel, string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out Uri? uri)
            || uri.Scheme != Uri.UriSchemeHttp)
        {
            throw new InvalidOperationException($"'{url}' is not an http:// URL the API can listen on (e.g. http://127.0.0.1:8080).");
        }

        if (uri.IsLoopback && uri.Host == "localhost")
        {
            kestrel.ListenLocalhost(uri.Port);
        }
        else if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? address))
        {
            kestrel.Listen(address, uri.Port);
        }
        else
        {
            throw new InvalidOperationException($"'{url}': listen on an IP address (e.g. 127.0.0.1 or 0.0.0.0) or localhost.");
        }
    }
}

public sealed record SidecarAddress(Uri Uri);
