using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet;
using Docker.DotNet.X509;
using DurableWorkflows.Core.Telemetry;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Containers;

/// <summary>One Docker engine: its client (shared, one per endpoint) and how this product uses it.</summary>
public sealed class DockerEndpoint
{
    internal DockerEndpoint(string uri, DockerClient client, string networkMode, TimeSpan requestTimeout)
    {
        Uri = uri;
        Client = client;
        NetworkMode = networkMode;
        RequestTimeout = requestTimeout;
    }

    /// <summary>The endpoint as configured, e.g. <c>unix:///var/run/docker.sock</c>.</summary>
    public string Uri { get; }

    public DockerClient Client { get; }

    /// <summary>Docker's event stream of this endpoint's containers, opened on first use.</summary>
    public DockerApi.ContainerEventWatch Events => LazyInitializer.EnsureInitialized(ref _events, () => new DockerApi.ContainerEventWatch(this));

    private DockerApi.ContainerEventWatch? _events;

    internal void DisposeEvents() => _events?.Dispose();

    public string NetworkMode { get; }

    internal TimeSpan RequestTimeout { get; }

    public override string ToString() => Uri;

    /// <summary>
    /// Runs one Docker call bounded by the request timeout (unless <paramref name="timeout"/> says otherwise);
    /// a connection failure or a timeout becomes a <see cref="DockerUnreachableException"/> naming this endpoint.
    /// </summary>
    public async Task<T> CallAsync<T>(
        Func<DockerClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken, TimeSpan? timeout = null, [CallerMemberName] string operation = "")
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout ?? RequestTimeout);
        string result = "error";
        try
        {
            T value = await call(Client, cts.Token);
            result = "ok";
            return value;
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            result = "unreachable";
            throw new DockerUnreachableException(Uri, $"Docker endpoint {Uri} did not answer within {(timeout ?? RequestTimeout).TotalSeconds:0.#} s.", e);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            result = "unreachable";
            throw new DockerUnreachableException(Uri, $"Docker endpoint {Uri} is unreachable: {Reason(Innermost(e))}", e);
        }
        catch (DockerApiException e)
        {
            result = ((int)e.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw;
        }
        finally
        {
            // The operation is the calling method's name (Inspect, Create, Start, ...): a handful, never an id.
            DwfTelemetry.ContainerOperations.Add(1, DwfTelemetry.Tag("endpoint", Uri), DwfTelemetry.Tag("operation", OperationName(operation)), DwfTelemetry.Tag("result", result));
            if (result == "unreachable")
            {
                DwfTelemetry.EngineUnreachable.Add(1, DwfTelemetry.Tag("endpoint", Uri));
            }
        }
    }

    public Task CallAsync(Func<DockerClient, CancellationToken, Task> call, CancellationToken cancellationToken, TimeSpan? timeout = null, [CallerMemberName] string operation = "") =>
        CallAsync<bool>(
            async (c, ct) =>
            {
                await call(c, ct);
                return true;
            },
            cancellationToken,
            timeout,
            operation);

    private static string OperationName(string caller) =>
        caller.StartsWith("Try", StringComparison.Ordinal) ? OperationName(caller[3..]) : caller.EndsWith("Async", StringComparison.Ordinal) ? caller[..^5] : caller;

    private static bool IsConnectionFailure(Exception e) =>
        e is HttpRequestException or SocketException or TimeoutException or IOException
        || (e.InnerException is { } inner && IsConnectionFailure(inner));

    /// <summary>Why the engine could not be reached, in words (the socket layer's own message is cryptic for a missing socket).</summary>
    private static string Reason(Exception innermost) => innermost is SocketException socket
        ? socket.SocketErrorCode switch
        {
            // A unix socket path that does not exist comes back as "address not available".
            SocketError.AddressNotAvailable => "no Docker engine listens there (its socket is missing); is the engine running?",
            SocketError.ConnectionRefused => "no Docker engine listens there (connection refused); is the engine running?",
            SocketError.ConnectionReset or SocketError.Shutdown => "the Docker engine closed the connection (it stopped or restarted)",
            _ => socket.Message,
        }
        : innermost is IOException or HttpRequestException && innermost.Message.Contains("end of stream", StringComparison.OrdinalIgnoreCase)
            ? "the Docker engine closed the connection (it stopped or restarted)"
            : innermost.Message;

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}

/// <summary>The Docker endpoints of the workers (host.json), one client each, created on first use.</summary>
public sealed class DockerEndpoints : IDisposable
{
    private readonly DockerOptions _options;
    private readonly ConcurrentDictionary<string, Lazy<DockerEndpoint>> _byKey = new(StringComparer.Ordinal);

    public DockerEndpoints(IOptions<DockerOptions> options)
    {
        _options = options.Value;
        var uri = _options.DefaultEndpoint;
        if (string.IsNullOrWhiteSpace(uri))
        {
            uri = Environment.GetEnvironmentVariable("DOCKER_HOST");
        }

        DefaultUri = string.IsNullOrWhiteSpace(uri) ? DockerOptions.LocalSocket : uri.Trim();
    }

    /// <summary>The endpoint of workers without their own.</summary>
    public string DefaultUri { get; }

    public DockerEndpoint Default => Get(new DockerEndpointOptions { Endpoint = DefaultUri });

    /// <summary>
    /// The endpoint of a worker: the run's own (<paramref name="workerEndpoints"/>, from its hardware record), else
    /// host.json's; an unmapped worker gets the default one unless host.json says that is an error.
    /// </summary>
    public DockerEndpoint ForWorker(string? worker, IReadOnlyDictionary<string, string>? workerEndpoints = null)
    {
        if (Configured(worker, workerEndpoints) is { } configured)
        {
            return configured.IsAgent
                ? throw new ContainerEngineException($"Worker '{worker}' is served by an agent, not a Docker endpoint.")
                : Get(configured);
        }

        if (!string.IsNullOrEmpty(worker) && _options.UnknownWorkers == UnknownWorkerPolicies.Error)
        {
            throw new ContainerEngineException(
                $"Worker '{worker}' has no Docker endpoint: add it to {DockerOptions.SectionName}:Workers (UnknownWorkers is 'error').");
        }

        return Default;
    }

    /// <summary>
    /// The default endpoint, every configured worker's and the <paramref name="extra"/> ones, each engine once. An
    /// endpoint that cannot be set up (such as unreadable TLS files) goes to <paramref name="onError"/> and is skipped;
    /// without it, the error is thrown.
    /// </summary>
    public IReadOnlyList<DockerEndpoint> All(Action<string, ContainerEngineException>? onError = null, IEnumerable<string>? extra = null)
    {
        var result = new List<DockerEndpoint> { Default };
        foreach (var endpoint in _options.Workers.Values.Where(w => !w.IsAgent).Concat((extra ?? []).Select(uri => new DockerEndpointOptions { Endpoint = uri })))
        {
            try
            {
                AddOnce(result, Get(endpoint));
            }
            catch (ContainerEngineException e) when (onError is not null)
            {
                onError(endpoint.Endpoint, e);
            }
        }

        return result;
    }

    /// <summary>The endpoints of these workers (as <see cref="ForWorker"/> finds them) plus the default one, each engine once; unknown workers are skipped.</summary>
    public IReadOnlyList<DockerEndpoint> ForWorkers(IEnumerable<string> workers, IReadOnlyDictionary<string, string>? workerEndpoints = null)
    {
        var result = new List<DockerEndpoint> { Default };
        foreach (var worker in workers)
        {
            if (Configured(worker, workerEndpoints) is { } configured)
            {
                AddOnce(result, Get(configured));
            }
        }

        return result;
    }

    /// <summary>The endpoint the run or host.json gives <paramref name="worker"/>, or null.</summary>
    private DockerEndpointOptions? Configured(string? worker, IReadOnlyDictionary<string, string>? workerEndpoints)
    {
        if (string.IsNullOrEmpty(worker))
        {
            return null;
        }

        if (workerEndpoints is not null && workerEndpoints.TryGetValue(worker, out var own))
        {
            return new DockerEndpointOptions { Endpoint = own };
        }

        return _options.Workers.TryGetValue(worker, out var configured) ? configured : null;
    }

    private static void AddOnce(List<DockerEndpoint> endpoints, DockerEndpoint endpoint)
    {
        if (!endpoints.Exists(e => e.Uri == endpoint.Uri))
        {
            endpoints.Add(endpoint);
        }
    }

    /// <summary>Null when <paramref name="uri"/> is a usable endpoint, else what is wrong with it.</summary>
    public static string? CheckUri(string? uri) => Core.Hardware.HardwareRecord.CheckDockerEndpoint(uri);

    public void Dispose()
    {
        foreach (var lazy in _byKey.Values)
        {
            if (lazy.IsValueCreated)
            {
                lazy.Value.DisposeEvents();
                lazy.Value.Client.Dispose();
            }
        }

        _byKey.Clear();
    }

    private DockerEndpoint Get(DockerEndpointOptions endpoint)
    {
        // Two workers may name the same engine with different network modes or certificates: one entry per combination.
        var key = string.Join('\n', endpoint.Endpoint.Trim(), endpoint.NetworkMode, endpoint.TlsCertPath, endpoint.TlsKeyPath, endpoint.TlsCaPath);
        return _byKey.GetOrAdd(key, _ => new Lazy<DockerEndpoint>(() => Create(endpoint))).Value;
    }

    private DockerEndpoint Create(DockerEndpointOptions endpoint)
    {
        var uri = endpoint.Endpoint.Trim();
        if (CheckUri(uri) is { } error)
        {
            throw new ContainerEngineException($"Docker endpoint: {error}");
        }

        Credentials? credentials = null;
        try
        {
            credentials = Tls(endpoint);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new ContainerEngineException($"Docker endpoint {uri}: cannot load its TLS certificates: {e.Message}", e);
        }

        // The HTTP client's own timeout must outlast a graceful stop; each call is bounded more tightly by CallAsync.
        var requestTimeout = _options.RequestTimeout;
        var httpTimeout = requestTimeout + _options.StopGracePeriod + TimeSpan.FromSeconds(5);
        var configuration = new DockerClientConfiguration(new Uri(uri), credentials, httpTimeout);
        return new DockerEndpoint(uri, configuration.CreateClient(), endpoint.NetworkMode ?? _options.NetworkMode, requestTimeout);
    }

    private static CertificateCredentials? Tls(DockerEndpointOptions endpoint)
    {
        if (endpoint.TlsCertPath is { } cert && endpoint.TlsKeyPath is { } key)
        {
            var certificate = X509Certificate2.CreateFromPemFile(DockerOptions.ExpandHome(cert), DockerOptions.ExpandHome(key));
            var tls = new CertificateCredentials(certificate);
            if (endpoint.TlsCaPath is { } caPath)
            {
                var ca = X509CertificateLoader.LoadCertificateFromFile(DockerOptions.ExpandHome(caPath));
                tls.ServerCertificateValidationCallback = (_, serverCert, _, _) =>
                {
                    if (serverCert is null)
                    {
                        return false;
                    }

                    using var chain = new X509Chain();
                    chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                    chain.ChainPolicy.CustomTrustStore.Add(ca);
                    chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                    return chain.Build(new X509Certificate2(serverCert));
                };
            }

            return tls;
        }

        return null;
    }
}
