namespace DurableWorkflows.Server.Agents;

/// <summary>The agent endpoints (<c>DurableWorkflows:Agents</c>): where agents dial the server, and what they must show.</summary>
public sealed class AgentOptions
{
    public const string SectionName = "DurableWorkflows:Agents";

    /// <summary>
    /// Where Tinkerbell's current agent protocol (tink-agent, <c>dwf agent</c>) is served, <c>http://IP:PORT</c>
    /// (plaintext HTTP/2) or <c>https://IP:PORT</c> (TLS); empty: not served. <c>dwf serve --tink-agent-urls</c>.
    /// </summary>
    public string TinkAgentUrls { get; set; } = "";

    /// <summary>
    /// Where Tinkerbell's legacy worker protocol (tink-worker) is served, on ports of its own; empty: not served.
    /// <c>dwf serve --tink-worker-urls</c>.
    /// </summary>
    public string TinkWorkerUrls { get; set; } = "";

    /// <summary>The PEM certificate of the <c>https://</c> agent endpoints (<c>--agent-tls-cert</c>).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>The PEM key of <see cref="CertificateFile"/> (<c>--agent-tls-key</c>).</summary>
    public string? KeyFile { get; set; }

    /// <summary>When set, every agent call needs <c>authorization: Bearer TOKEN</c> (else <c>Unauthenticated</c>).</summary>
    public string? Token { get; set; }

    /// <summary>The largest agent message the server reads (an uploaded log included).</summary>
    public int MaxMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>What an agent is allowed past an action's timeout for its own TIMEOUT report (a new run's <c>AgentReportGrace</c>).</summary>
    public int ReportGraceSeconds { get; set; } = 30;

    /// <summary>How long a report waits for its workflow to take it before the agent is told to send it again.</summary>
    public int ReportTakenSeconds { get; set; } = 20;
}
