namespace DurableWorkflows.Server.Hosting;

/// <summary>What a host process does.</summary>
public enum ServerRole
{
    /// <summary><c>dwf run</c>: the sidecar on a free loopback port, the worker and the client; no HTTP API.</summary>
    Run,

    /// <summary><c>dwf serve</c>: the HTTP API, the sidecar, the worker, the client and the background services.</summary>
    Serve,

    /// <summary><c>dwf sidecar</c>: the sidecar alone, for a worker elsewhere.</summary>
    Sidecar,
}
