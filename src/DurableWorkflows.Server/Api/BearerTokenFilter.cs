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
        if (IsAuthorized(context.HttpContext))
        {
            return next(context);
        }

        context.HttpContext.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
        return ValueTask.FromResult<object?>(Problems.Unauthorized(Needed));
    }

    private const string Needed = "This server needs 'Authorization: Bearer <token>'.";

    /// <summary>Whether the request may pass: no token is set, or it carries the token.</summary>
    public bool IsAuthorized(HttpContext context)
    {
        if (_token is null)
        {
            return true;
        }

        string header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..].Trim()), _token);
    }

    /// <summary>The same check for a path that is not a route handler (<c>/metrics</c>): a 401 with problem details.</summary>
    public static void Guard(WebApplication app, PathString path)
    {
        var filter = new BearerTokenFilter(app.Services.GetRequiredService<IOptions<DurableWorkflowsOptions>>());
        app.UseWhen(c => c.Request.Path.StartsWithSegments(path), branch => branch.Use(async (context, next) =>
        {
            if (filter.IsAuthorized(context))
            {
                await next(context);
                return;
            }

            context.Response.Headers[HeaderNames.WWWAuthenticate] = "Bearer";
            await Problems.Unauthorized(Needed).ExecuteAsync(context);
        }));
    }
}
