using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace DurableWorkflows.Server.Api;

/// <summary>Requires <c>Authorization: Bearer TOKEN</c> when the server has an API token.</summary>
internal sealed class BearerTokenFilter(IOptions<DurableWorkflowsOptions> options) : IEndpointFilter
{
    private readonly byte[]? _token = string.IsNullOrEmpty(options.Value.ApiToken) ? null : Encoding.UTF8.GetBytes(options.Value.ApiToken);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_token is null)
        {
            return next(context);
        }

        string header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), _token))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return ValueTask.FromResult<object?>(Problems.Unauthorized("This server needs 'Authorization: Bearer <token>'."));
    }
}
