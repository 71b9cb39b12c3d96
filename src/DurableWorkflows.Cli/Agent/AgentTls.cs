using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace DurableWorkflows.Cli.Agent;

/// <summary>An agent's TLS to a server whose certificate the system does not trust: one PEM certificate (the server's, or its CA's) trusted besides the system's.</summary>
public static class AgentTls
{
    public static SocketsHttpHandler Trusting(string caFile)
    {
        X509Certificate2 trusted;
        try
        {
            trusted = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"--ca-cert {caFile}: not a PEM certificate that can be read ({e.Message})", e);
        }

        return new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            SslOptions = new SslClientAuthenticationOptions
            {
                // The name must still match; only the chain may end at the given certificate instead of a system root.
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    errors == SslPolicyErrors.None
                    || (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate is not null && ChainsTo(certificate, trusted)),
            },
        };
    }

    private static bool ChainsTo(X509Certificate certificate, X509Certificate2 trusted)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = new X509Certificate2(certificate);
        return chain.Build(presented);
    }
}
