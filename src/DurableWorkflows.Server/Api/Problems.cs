using DurableWorkflows.Core.Contracts;
using DurableWorkflows.GoTemplates;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DurableWorkflows.Server.Api;

/// <summary>Every RFC 7807 problem the API answers with, in one place: a status, a title, what is wrong, and the errors when there are several.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(int status, string title, string detail, object? errors = null, string? instance = null) =>
        TypedResults.Problem(
            statusCode: status,
            title: title,
            detail: detail,
            instance: instance,
            extensions: errors is null ? null : new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult BadRequest(string detail) => Of(StatusCodes.Status400BadRequest, "Bad request", detail);

    public static ProblemHttpResult NotFound(string detail) => Of(StatusCodes.Status404NotFound, "Not found", detail);

    public static ProblemHttpResult Conflict(string detail, IReadOnlyList<string>? errors = null) => Of(StatusCodes.Status409Conflict, "Conflict", detail, errors);

    public static ProblemHttpResult Gone(string detail, string? instance = null) => Of(StatusCodes.Status410Gone, "Gone", detail, instance: instance);

    public static ProblemHttpResult Unauthorized(string detail) => Of(StatusCodes.Status401Unauthorized, "Unauthorized", detail);

    /// <summary>400 listing every error with its line and column (<c>errors</c>: line, column, message).</summary>
    public static ProblemHttpResult Errors(string title, IReadOnlyList<TemplateError> errors) => Of(
        StatusCodes.Status400BadRequest,
        title,
        string.Join("\n", errors.Select(e => e.ToString())),
        errors.Select(e => new TemplateErrorEntry(e.Location.Line, e.Location.Column, e.Message)).ToList());

    /// <summary>400 listing every error as text (<c>errors</c>: strings).</summary>
    public static ProblemHttpResult Errors(string title, IReadOnlyList<string> errors) =>
        Of(StatusCodes.Status400BadRequest, title, string.Join("\n", errors), errors);

    public static ProblemHttpResult InvalidTemplate(IReadOnlyList<TemplateError> errors) => Errors("Invalid template", errors);

    public static ProblemHttpResult InvalidHardware(IReadOnlyList<TemplateError> errors) => Errors("Invalid hardware record", errors);

    /// <summary>Why a start (or its preparation) did not go ahead, as the API says it.</summary>
    public static ProblemHttpResult NotStarted(WorkflowStartResult result) => result.Outcome switch
    {
        WorkflowStartOutcome.AlreadyExists => Conflict($"A workflow with id '{result.WorkflowId}' already exists."),
        WorkflowStartOutcome.UnknownHardware => Of(StatusCodes.Status400BadRequest, "Unknown hardware", result.Message!),
        WorkflowStartOutcome.UnknownTemplate => Of(StatusCodes.Status400BadRequest, "Unknown template", result.Message!),
        WorkflowStartOutcome.UnknownWorkflow => NotFound(result.Message!),
        WorkflowStartOutcome.InvalidHardware when result.Errors.Count == 0 => BadRequest(result.Message + "."),
        WorkflowStartOutcome.InvalidHardware => InvalidHardware(result.Errors),
        _ => InvalidTemplate(result.Errors),
    };
}
