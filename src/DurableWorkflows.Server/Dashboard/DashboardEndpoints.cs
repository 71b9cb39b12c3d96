using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace DurableWorkflows.Server.Dashboard;

/// <summary>
/// The dashboard: a page and its scripts, embedded in this assembly and served from the API's own process and port
/// (nothing from elsewhere). The page is a client of the API: every read and every button is an API call with the
/// API's token and checks. Its pages are routes of their own so that a workflow's URL can be bookmarked and shared.
/// </summary>
public static class DashboardEndpoints
{
    /// <summary>The paths that are the page (the script shows what the path names).</summary>
    private static readonly string[] PagePaths = ["/", "/workflows/{id}", "/schedules", "/hardware", "/hardware/{name}", "/validate"];

    /// <summary>Scripts and styles only from this server, no inline script, no framing: user input the page shows cannot run.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly FrozenDictionary<string, Asset> Assets = Load();

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        foreach (string path in PagePaths)
        {
            app.MapGet(path, (HttpContext http) => Serve(http, "index.html")).ExcludeFromDescription();
        }

        app.MapGet("/ui/{file}", (string file, HttpContext http) => Serve(http, file)).ExcludeFromDescription();
        return app;
    }

    private static IResult Serve(HttpContext http, string file)
    {
        if (!Assets.TryGetValue(file, out Asset? asset))
        {
            return Api.Problems.NotFound($"The dashboard has no file '{file}'.");
        }

        IHeaderDictionary headers = http.Response.Headers;
        headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
        headers[HeaderNames.XContentTypeOptions] = "nosniff";
        headers[HeaderNames.CacheControl] = "no-cache";
        headers[HeaderNames.ETag] = asset.ETag;
        headers["Referrer-Policy"] = "no-referrer";
        if (http.Request.Headers.IfNoneMatch.Contains(asset.ETag))
        {
            return Results.StatusCode(StatusCodes.Status304NotModified);
        }

        return Results.Bytes(asset.Content, asset.ContentType);
    }

    private sealed record Asset(byte[] Content, string ContentType, string ETag);

    private static FrozenDictionary<string, Asset> Load()
    {
        Assembly assembly = typeof(DashboardEndpoints).Assembly;
        const string prefix = "dashboard/";
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (string name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using Stream stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] content = copy.ToArray();
            string file = name[prefix.Length..];
            string type = Path.GetExtension(file) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".css" => "text/css; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            assets[file] = new Asset(content, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}\"");
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
