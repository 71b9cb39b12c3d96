using System.CommandLine;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace DurableWorkflows.Cli.Common;

/// <summary>What <c>dwf hardware</c> and <c>dwf template</c> share: putting a file's record on the server, reading the file.</summary>
public static class StoredRecords
{
    /// <summary>
    /// PUTs <paramref name="path"/>'s text to <paramref name="route"/>; the server's errors at the file's line:column (exit 1).
    /// <paramref name="kind"/> names the record in what is printed (<c>hardware</c>), <paramref name="what"/> the file's content (<c>hardware record</c>).
    /// </summary>
    public static Task<int> PutAsync(ParseResult parse, string kind, string what, string name, string route, string path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string text = ReadFile(what, path);
        string mediaType = text.TrimStart().StartsWith('{') ? "application/json" : "application/yaml";
        return ServerClient.RunAsync(parse, async client =>
        {
            try
            {
                var (status, _) = await client.SendContentAsync(HttpMethod.Put, route, new StringContent(text, Encoding.UTF8, mediaType), cancellationToken);
                await parse.InvocationConfiguration.Output.WriteLineAsync($"{kind} {name}: {(status == HttpStatusCode.Created ? "created" : "replaced")}");
                return ExitCodes.Ok;
            }
            catch (ServerException e) when (e.Problem?["errors"] is JsonArray errors)
            {
                foreach (JsonNode? error in errors)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"{path}:{error?["line"]}:{error?["column"]}: {error?["message"]}");
                }

                await parse.InvocationConfiguration.Error.WriteLineAsync($"{path}: invalid {what}, not stored");
                return ExitCodes.Failed;
            }
        });
    }

    /// <summary>Deletes the record at <paramref name="route"/>.</summary>
    public static Task<int> DeleteAsync(ParseResult parse, string kind, string name, string route, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return ServerClient.RunAsync(parse, async client =>
        {
            await client.SendAsync(HttpMethod.Delete, route, null, cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{kind} {name}: deleted");
            return ExitCodes.Ok;
        });
    }

    private static string ReadFile(string kind, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"cannot read {kind} '{path}': {e.Message}", e);
        }
    }
}
