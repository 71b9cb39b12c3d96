using DurableWorkflows.Core.Telemetry;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace DurableWorkflows.Server.Agents;

/// <summary>
/// Counts every call of an agent protocol (<c>dwf.agent.calls</c>, by protocol, method and gRPC status): both protocols
/// name their methods alike, so the protocol is the service the counter is registered on. The agent that called is
/// seen (<see cref="AgentPresence"/>).
/// </summary>
public sealed class AgentCallCounter<TService>(AgentPresence presence) : Interceptor
{
    private static readonly string Protocol = typeof(TService) == typeof(TinkWorkerService) ? "tink-worker" : "tink-agent";

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return CountedAsync(request, context, () => continuation(request, context));
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(continuation);
        return CountedAsync(request, context, async () =>
        {
            await continuation(request, responseStream, context);
            return true;
        });
    }

    /// <summary>The call, its agent seen and its gRPC status counted.</summary>
    private async Task<T> CountedAsync<T>(object? request, ServerCallContext context, Func<Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(context);
        StatusCode status = StatusCode.Unknown;
        presence.Seen(request);
        try
        {
            T result = await call();
            status = StatusCode.OK;
            return result;
        }
        catch (RpcException e)
        {
            status = e.StatusCode;
            throw;
        }
        finally
        {
            Count(context, status);
        }
    }

    private static void Count(ServerCallContext context, StatusCode status) =>
        DwfTelemetry.AgentCalls.Add(1, DwfTelemetry.Tag("protocol", Protocol), DwfTelemetry.Tag("method", context.Method), DwfTelemetry.Tag("status", status.ToString()));
}
