using System.CommandLine;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableWorkflows.Cli.Common;

/// <summary>
/// The HTTP client of the commands that talk to a server (<c>--server</c>, default http://127.0.0.1:8080;
/// <c>--token</c> or <c>DWF_API_TOKEN</c> for a server with an API token). Problem details become <see cref="ServerException"/>.
/// </summary>
public sealed class ServerClient : IDisposable
{
    public const string DefaultServer = "http://127.0.0.1:8080";
    public const string TokenVariable = "DWF_API_TOKEN";
    public const string ServerOptionName = "--server";
    public const string TokenOptionName = "--token";

    private readonly HttpClient _http;

    public ServerClient(Uri server, string? token)
    {
        ArgumentNullException.ThrowIfNull(server);
        _http = new HttpClient { BaseAddress = server, Timeout = Timeout };
        if (!string.IsNullOrEmpty(token))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>The JSON conventions of the API.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The one request timeout of every command that talks to a server.</summary>
    public static TimeSpan Timeout { get; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// <c>--server</c> and <c>--token</c>, defined once on the root command and recursive, so every command that talks
    /// to a server (and every one of its subcommands) takes them.
    /// </summary>
    public static void AddOptions(Command root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Add(new Option<string>(ServerOptionName)
        {
            Description = $"The server's URL (default {DefaultServer}), for the commands that talk to one.",
            DefaultValueFactory = _ => DefaultServer,
            HelpName = "URL",
            Recursive = true,
        });
        root.Add(new Option<string?>(TokenOptionName)
        {
            Description = $"The server's API token (default: ${TokenVariable}).",
            HelpName = "TOKEN",
            Recursive = true,
        });
    }

    /// <summary>A client for the <c>--server</c> and <c>--token</c> of <paramref name="parse"/>.</summary>
    public static ServerClient From(ParseResult parse) => new(ServerUri(parse), Token(parse));

    /// <summary>The <c>--server</c> of <paramref name="parse"/> (the API's, or for <c>dwf agent</c> the agent endpoint's); not an http(s) URL is a usage error.</summary>
    public static Uri ServerUri(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string url = parse.GetValue<string>(ServerOptionName) ?? DefaultServer;
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"--server expects an http(s) URL, got '{url}'");
        }

        return uri;
    }

    /// <summary>The <c>--token</c> of <paramref name="parse"/>, else <c>$DWF_API_TOKEN</c>.</summary>
    public static string? Token(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue<string?>(TokenOptionName) ?? Environment.GetEnvironmentVariable(TokenVariable);
    }

    /// <summary>
    /// Runs <paramref name="action"/> with a client; a refusal prints the server's problem, each error of it on a line of
    /// its own (template errors as <c>FILE:LINE:COL: message</c> when <paramref name="templatePath"/> is given), and
    /// exits 1, or 2 for a missing or wrong token.
    /// </summary>
    public static async Task<int> RunAsync(ParseResult parse, Func<ServerClient, Task<int>> action, string? templatePath = null)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(action);
        using ServerClient client = From(parse);
        try
        {
            return await action(client);
        }
        catch (ServerException e)
        {
            TextWriter error = parse.InvocationConfiguration.Error;
            JsonArray? errors = e.Problem?["errors"] as JsonArray;
            foreach (JsonNode? item in errors ?? [])
            {
                string text = item is JsonObject o ? $"{o["line"]}:{o["column"]}: {o["message"]}" : item?.GetValue<string>() ?? "";
                await error.WriteLineAsync(templatePath is not null && text.StartsWith("template:", StringComparison.Ordinal)
                    ? templatePath + text["template".Length..]
                    : item is JsonObject && templatePath is not null ? $"{templatePath}:{text}" : text);
            }

            if (errors is not { Count: > 0 })
            {
                await error.WriteLineAsync($"dwf: {e.Message}");
            }

            return e.Status == HttpStatusCode.Unauthorized ? ExitCodes.Usage : ExitCodes.Failed;
        }
    }

    /// <summary>Sends a request; returns the status code and the JSON body (null when empty). Problem details throw.</summary>
    public Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        SendContentAsync(method, path, body is null ? null : JsonContent.Create(body, options: Json), cancellationToken);

    /// <summary>Sends <paramref name="content"/> as it is (disposed after); otherwise as <see cref="SendAsync"/>.</summary>
    public async Task<(HttpStatusCode Status, JsonNode? Body)> SendContentAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new ServerException($"cannot reach the server at {_http.BaseAddress}: {e.Message}", null, null);
        }

        using (response)
        {
            string text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonNode? json = text.Length == 0 ? null : TryParse(text);
            if (!response.IsSuccessStatusCode)
            {
                string title = json?["title"]?.GetValue<string>() ?? response.ReasonPhrase ?? response.StatusCode.ToString();
                string? detail = json?["detail"]?.GetValue<string>();
                throw new ServerException($"{(int)response.StatusCode} {title}{(detail is null ? "" : $": {detail}")}", response.StatusCode, json);
            }

            return (response.StatusCode, json);
        }
    }

    public void Dispose() => _http.Dispose();

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>The server answered with an error (problem details), or could not be reached.</summary>
public sealed class ServerException : Exception
{
    public ServerException()
    {
    }

    public ServerException(string message)
        : base(message)
    {
    }

    public ServerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ServerException(string message, HttpStatusCode? status, JsonNode? problem)
        : base(message)
    {
        Status = status;
        Problem = problem;
    }

    public HttpStatusCode? Status { get; }

    public JsonNode? Problem { get; }
}
