using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace DurableWorkflows.Server.Api;

/// <summary>
/// A request the API could not read (broken or mistyped JSON, a body over the limit, a wrong media type) as problem
/// details saying what is wrong and where, with the status the framework chose (400, 413, 415), instead of an empty
/// "Bad Request". The endpoints throw these because <c>RouteHandlerOptions.ThrowOnBadRequest</c> is on.
/// </summary>
public sealed class BadRequestProblemHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode switch
                {
                    StatusCodes.Status413PayloadTooLarge => "Request body too large",
                    StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
                    _ => "Bad request",
                },
                Detail = Describe(bad),
            },
        });
    }

    /// <summary>
    /// Gives a problem the framework wrote without a detail (a status code page: a body over the limit, a wrong media
    /// type, an unknown route or method) one that says what is wrong. Used as <c>ProblemDetailsOptions.CustomizeProblemDetails</c>.
    /// </summary>
    public static void AddMissingDetail(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ProblemDetails problem = context.ProblemDetails;
        if (!string.IsNullOrWhiteSpace(problem.Detail))
        {
            return;
        }

        HttpRequest request = context.HttpContext.Request;
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status400BadRequest => $"The request {request.Method} {request.Path} could not be read.",
            StatusCodes.Status404NotFound => $"No such resource: {request.Method} {request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{request.Path} does not accept {request.Method}.",
            StatusCodes.Status413PayloadTooLarge => context.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize is { } limit
                ? $"The request body is larger than the limit of {limit} bytes."
                : "The request body is too large.",
            StatusCodes.Status415UnsupportedMediaType =>
                $"The body's media type '{request.ContentType ?? "(none)"}' is not supported: send JSON (Content-Type: application/json).",
            _ => problem.Title,
        };
    }

    /// <summary>What is wrong with the request: for JSON, where in the body (line, byte, property path) and what.</summary>
    internal static string Describe(BadHttpRequestException bad) => Innermost<JsonException>(bad) is { } json
        ? $"The body is not a valid request: {Where(json)}: {What(json)}"
        : bad.StatusCode == StatusCodes.Status415UnsupportedMediaType
            ? $"{bad.Message} Send the request as JSON (Content-Type: application/json)."
            : bad.Message;

    /// <summary>The JSON position, 1-based as editors count (the reader counts from 0).</summary>
    private static string Where(JsonException json) =>
        (json.LineNumber, json.BytePositionInLine) is ({ } line, { } position)
            ? $"line {line + 1}, byte {position + 1}{(string.IsNullOrEmpty(json.Path) || json.Path == "$" ? "" : $" ({json.Path})")}"
            : string.IsNullOrEmpty(json.Path) ? "the body" : json.Path;

    /// <summary>The reader's message without the position it appends (given by <see cref="Where"/>), in the API's words.</summary>
    private static string What(JsonException json)
    {
        int at = json.Message.IndexOf(" Path: ", StringComparison.Ordinal);
        string what = (at < 0 ? json.Message : json.Message[..at]).TrimEnd();
        const string Converted = "The JSON value could not be converted to ";
        return what.StartsWith(Converted, StringComparison.Ordinal)
            ? $"the value has the wrong type{Expected(what[Converted.Length..].TrimEnd('.'))}"
            : what;
    }

    /// <summary>The type the reader wanted, in the API's words ("" when it is one of the API's own records: the path says which field).</summary>
    private static string Expected(string type) => type switch
    {
        "System.String" => " (expected a string)",
        "System.Int32" or "System.Int64" or "System.Nullable`1[System.Int32]" or "System.Nullable`1[System.Int64]" => " (expected a number)",
        "System.Boolean" or "System.Nullable`1[System.Boolean]" => " (expected true or false)",
        _ when type.StartsWith("System.Collections.Generic.Dictionary", StringComparison.Ordinal) => " (expected a map of names to strings)",
        _ when type.StartsWith("System.Collections.Generic.", StringComparison.Ordinal) || type.EndsWith("[]", StringComparison.Ordinal) => " (expected a list)",
        _ => "",
    };

    private static T? Innermost<T>(Exception? e)
        where T : Exception
    {
        T? found = null;
        for (; e is not null; e = e.InnerException)
        {
            found = e as T ?? found;
        }

        return found;
    }
}
