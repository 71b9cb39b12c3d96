using System.Text.Json.Serialization;

namespace DurableWorkflows.Core.Contracts;

/// <summary>What an agent says of an action, as Tinkerbell's protocols name the states.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentActionState>))]
public enum AgentActionState
{
    RUNNING,
    SUCCESS,
    FAILED,
    TIMEOUT,
}

/// <summary>
/// The action a workflow offers to the agent of its worker, in its status while the offer stands: the agent that asks
/// for work gets it, and its reports must name it. <paramref name="Id"/> is the action id the agent is handed and
/// reports back (attempt and role included, so a report of an earlier attempt or of the action for its handler is
/// told apart).
/// </summary>
/// <param name="Command">A handler's command (on-failure, on-timeout) in place of the action's; null for the action.</param>
/// <param name="Running">An agent reported RUNNING: an agent asking again (after its restart) is handed it again.</param>
public sealed record AgentOffer(
    string AgentId,
    string Id,
    string Task,
    string Action,
    int Attempt,
    IReadOnlyList<string>? Command,
    DateTimeOffset OfferedAt,
    bool Running = false)
{
    /// <summary>The action id of an offer: attempt, role and names, so that it is unique within the workflow.</summary>
    public static string IdOf(string task, string action, int attempt, string? handler) =>
        handler is null ? $"{task}/{action}/{attempt}" : $"{task}/{action}/{attempt}/{handler}";
}

/// <summary>The payload of <see cref="EventNames.AgentReport"/>: an agent's report on the action of <paramref name="OfferId"/>.</summary>
public sealed record AgentReport(
    string AgentId,
    string OfferId,
    AgentActionState State,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Message);
