using System.Net.Sockets;
using Grpc.Net.Client;

namespace DurableWorkflows.Server.Hosting;

/// <summary>
/// The worker's and the client's gRPC channels to the sidecar. A connection that finds the sidecar's port not listening
/// yet tries again every <see cref="RetryEvery"/> for up to <see cref="Patience"/>: the host starts the worker before its
/// web server binds that port, and a refused first call costs the worker a reconnect back-off of up to a second (seen as
/// a second or two more on some `dwf run`s). Disposed with the host's services.
/// </summary>
public sealed class SidecarChannels(Uri sidecar) : IDisposable
{
    public static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(10);

    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    public GrpcChannel Worker { get; } = Create(sidecar, throwOperationCanceled: false);

    /// <summary>
    /// A client call its caller cancels ends as a cancellation, not as a gRPC Cancelled error (which the API would answer
    /// with a 500: a status read whose <c>?wait=</c> bound passed during it did).
    /// </summary>
    public GrpcChannel Client { get; } = Create(sidecar, throwOperationCanceled: true);

    public void Dispose()
    {
        Worker.Dispose();
        Client.Dispose();
    }

    private static GrpcChannel Create(Uri sidecar, bool throwOperationCanceled) => GrpcChannel.ForAddress(sidecar, new GrpcChannelOptions
    {
        ThrowOperationCanceledOnCancellation = throwOperationCanceled,
        // As the channel's own handler, plus the patient connect.
        HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, ConnectCallback = ConnectAsync },
        DisposeHttpClient = true,
    });

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        DateTimeOffset end = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused && DateTimeOffset.UtcNow < end)
            {
                socket.Dispose();
                await Task.Delay(RetryEvery, cancellationToken);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }
}
