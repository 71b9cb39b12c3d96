using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Server.Agents;

/// <summary>With <see cref="AgentOptions.Token"/> set, an agent call without <c>authorization: Bearer TOKEN</c> is <c>Unauthenticated</c>.</summary>
public sealed class AgentTokenInterceptor(IOptions<AgentOptions> options) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(continuation);
        if (options.Value.Token is { Length: > 0 } token)
        {
            string header = context.RequestHeaders.GetValue("authorization") ?? "";
            const string scheme = "Bearer ";
            if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
                || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), Encoding.UTF8.GetBytes(token)))
            {
                throw new RpcException(new Status(StatusCode.Unauthenticated, "this server needs 'authorization: Bearer <token>' from agents"));
            }
        }

        return continuation(request, context);
    }
}
