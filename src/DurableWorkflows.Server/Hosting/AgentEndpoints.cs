using System.Net;
using System.Security.Cryptography.X509Certificates;
using DurableWorkflows.Server.Agents;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace DurableWorkflows.Server.Hosting;

/// <summary>Which of Tinkerbell's agent protocols an endpoint speaks.</summary>
public enum AgentProtocol
{
    /// <summary>The current one (tink-agent, <c>dwf agent</c>): <see cref="AgentOptions.TinkAgentUrls"/>.</summary>
    TinkAgent,

    /// <summary>The legacy one (tink-worker): <see cref="AgentOptions.TinkWorkerUrls"/>.</summary>
    TinkWorker,
}

/// <summary>Where one agent protocol listens: <c>http://IP:PORT</c> (plaintext HTTP/2) or <c>https://IP:PORT</c> (TLS with the agent certificate).</summary>
public sealed record AgentEndpoint(AgentProtocol Protocol, IPAddress Address, int Port, bool Tls)
{
    /// <summary>Every endpoint of both protocols in the configuration; a URL that is not one, or TLS without a certificate, stops the start saying which.</summary>
    public static IReadOnlyList<AgentEndpoint> Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var endpoints = new List<AgentEndpoint>();
        foreach ((AgentProtocol protocol, string key) in new[] { (AgentProtocol.TinkAgent, nameof(AgentOptions.TinkAgentUrls)), (AgentProtocol.TinkWorker, nameof(AgentOptions.TinkWorkerUrls)) })
        {
            string urls = configuration[$"{AgentOptions.SectionName}:{key}"] ?? "";
            foreach (string url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.Port <= 0
                    || !IPAddress.TryParse(uri.Host.Trim('[', ']'), out IPAddress? address))
                {
                    throw new InvalidOperationException($"{AgentOptions.SectionName}:{key}: '{url}' is not an http:// or https://IP:PORT an agent protocol can listen on (e.g. http://127.0.0.1:42113).");
                }

                endpoints.Add(new AgentEndpoint(protocol, address, uri.Port, uri.Scheme == Uri.UriSchemeHttps));
            }
        }

        if (endpoints.GroupBy(e => e.Port).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            throw new InvalidOperationException($"{AgentOptions.SectionName}: port {shared.Key} is given twice; each agent protocol needs a port of its own (both use the service proto.WorkflowService).");
        }

        if (endpoints.Any(e => e.Tls)
            && (string.IsNullOrWhiteSpace(configuration[$"{AgentOptions.SectionName}:{nameof(AgentOptions.CertificateFile)}"])
                || string.IsNullOrWhiteSpace(configuration[$"{AgentOptions.SectionName}:{nameof(AgentOptions.KeyFile)}"])))
        {
            throw new InvalidOperationException($"An https:// agent URL needs a certificate and its key: {AgentOptions.SectionName}:CertificateFile and :KeyFile (PEM), or --agent-tls-cert and --agent-tls-key.");
        }

        return endpoints;
    }

    /// <summary>Listens on every endpoint: HTTP/2 only (gRPC with prior knowledge in plaintext, ALPN h2 over TLS).</summary>
    public static void Listen(KestrelServerOptions kestrel, IReadOnlyList<AgentEndpoint> endpoints, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(configuration);
        X509Certificate2? certificate = endpoints.Any(e => e.Tls)
            ? LoadCertificate(configuration[$"{AgentOptions.SectionName}:{nameof(AgentOptions.CertificateFile)}"]!, configuration[$"{AgentOptions.SectionName}:{nameof(AgentOptions.KeyFile)}"]!)
            : null;
        foreach (AgentEndpoint endpoint in endpoints)
        {
            kestrel.Listen(endpoint.Address, endpoint.Port, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                if (endpoint.Tls)
                {
                    listen.UseHttps(certificate!);
                }
            });
        }
    }

    private static X509Certificate2 LoadCertificate(string certificateFile, string keyFile)
    {
        try
        {
            return X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            throw new InvalidOperationException($"The agent certificate '{certificateFile}' with key '{keyFile}' cannot be read: {ex.Message}", ex);
        }
    }
}
