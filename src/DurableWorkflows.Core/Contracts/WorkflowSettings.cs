using System.Text.Json.Serialization;
using DurableWorkflows.Core.Hardware;
using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Core.Contracts;

/// <summary>How the orchestration paces its activities. Tests shrink these.</summary>
public sealed record WorkflowSettings
{
    /// <summary>
    /// The revision new runs get. 1: the next action's container is created while the action before it starts and runs,
    /// an action's start call also waits <see cref="FirstWait"/> for it to end, and the services are inspected while an
    /// action starts rather than before it; a container step whose Docker engine cannot be reached is tried again
    /// (<see cref="EngineUnreachableAttempts"/>).
    /// </summary>
    /// <remarks>2: an action whose worker is served by an agent (<see cref="AgentWorkers"/>) is offered to that agent and
    /// awaited on its reports; nothing else changes, so a run of only Docker workers schedules as revision 1 does.
    /// 3: a run that ends while a container start was out (StartService, StartAction, PrepareAction) cleans up again
    /// once its body has stopped when that start was out as the cleanup began (<see cref="CleansAgainForStartsAtCleanupStart"/>);
    /// before, only when it was still out as the cleanup ended, and a start that returned during the cleanup left its
    /// container.
    /// 4: the wait of an action that ends with exit code 0 also starts the next action's first attempt when that runs on
    /// a Docker endpoint (<see cref="ChainsNextAction"/>), so the hand-off from one action to the next is not an
    /// orchestration round trip.
    /// 5: the services are not inspected alongside the workflow's last action (<see cref="InspectsServicesAlongsideLastAction"/>):
    /// the cleanup that follows it looks at them anyway, and that inspect held the cleanup.
    /// 6: the containers of several actions are prepared ahead (<see cref="ActionsAhead"/>): from the start, while the
    /// services get ready, and beyond the action that runs; a container started ahead (Docker:StartAhead) is then
    /// released at its turn without waiting for its start.</remarks>
    public const int LatestRevision = 6;

    /// <summary>The settings of a run before revisions existed (revision 0); what a null <see cref="WorkflowInput.Settings"/> means.</summary>
    public static WorkflowSettings Default { get; } = new();

    /// <summary>
    /// Which revision of the orchestration's scheduling the run was started with. A run keeps it for its whole life, so
    /// the history of a run started before an upgrade replays unchanged after it; 0 (the default of inputs written
    /// before the field existed) is the first revision: each action's container created when it starts, services
    /// inspected before each action.
    /// </summary>
    public int Revision { get; init; }

    /// <summary>
    /// Revision 1 and later: how long an action's start call also waits for its container to end, so that a short
    /// action takes one call; a longer one is then waited for with WaitAction (and its container shows in the status).
    /// </summary>
    public TimeSpan FirstWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The settings of a new run of <paramref name="definition"/>: the latest revision, the engine's MaxWait, and the
    /// worker endpoints of its <paramref name="hardware"/> record, if any.
    /// </summary>
    public static WorkflowSettings ForNewRun(
        TimeSpan maxWait, WorkflowDefinition? definition = null, HardwareRecord? hardware = null, IReadOnlyDictionary<string, string>? agentWorkers = null) => new()
    {
        Revision = LatestRevision,
        MaxWait = maxWait,
        WorkerEndpoints = definition is null ? null : hardware?.WorkerEndpoints(definition),
        AgentWorkers = agentWorkers is { Count: > 0 } ? agentWorkers : null,
    };

    /// <summary>Revision 1 and later: the next action's container is created while the action before it starts and runs.</summary>
    [JsonIgnore]
    public bool PreparesNextAction => Revision >= 1;

    /// <summary>Revision 1 and later: an action's start call also waits <see cref="FirstWait"/> for its container to end.</summary>
    [JsonIgnore]
    public bool WaitsOnStart => Revision >= 1;

    /// <summary>Revision 1 and later: the services are inspected while an action starts, not before it.</summary>
    [JsonIgnore]
    public bool InspectsServicesAlongside => Revision >= 1;

    /// <summary>
    /// Revision 1 and later: a container step whose Docker engine cannot be reached is tried again
    /// (<see cref="EngineUnreachableAttempts"/>); a run of revision 0 scheduled no such timers, so its history must replay without them.
    /// </summary>
    [JsonIgnore]
    public bool RetriesUnreachableEngine => Revision >= 1;

    /// <summary>Revision 2 and later: actions of agent-served workers are offered to their agents (<see cref="AgentWorkers"/>).</summary>
    [JsonIgnore]
    public bool OffersAgentActions => Revision >= 2;

    /// <summary>
    /// Revision 3 and later: whether a second cleanup is needed is decided by the starts out as the first cleanup began
    /// (one that returns while it runs may create its container after the cleanup listed them); earlier revisions decided
    /// by those still out when it ended, and their histories must replay without the second cleanup.
    /// </summary>
    [JsonIgnore]
    public bool CleansAgainForStartsAtCleanupStart => Revision >= 3;

    /// <summary>
    /// Revision 4 and later: an action's wait (StartAction's <see cref="FirstWait"/>, WaitAction) carries the start of the
    /// next action's first attempt when that runs on a Docker endpoint, and makes it the moment the action exits 0; the
    /// run then waits for that container instead of starting it. Earlier revisions' histories have no such start.
    /// </summary>
    [JsonIgnore]
    public bool ChainsNextAction => Revision >= 4;

    /// <summary>
    /// Before revision 5: the services are inspected alongside every action, the last one too. From revision 5 not
    /// alongside the workflow's last action: the cleanup right after it records what that inspect would (restarts, an
    /// exit), and an inspect of a service, answered by Docker only between its health probes, held the cleanup.
    /// </summary>
    [JsonIgnore]
    public bool InspectsServicesAlongsideLastAction => Revision < 5;

    /// <summary>
    /// Revision 6 and later: how many actions' containers are prepared ahead of the action that runs (before: one, and
    /// this value is not read). A chained start (revision 4) prepares the one this many past the action it starts.
    /// </summary>
    public int ActionsAhead { get; init; } = 4;

    /// <summary>How many actions' containers the run prepares ahead: <see cref="ActionsAhead"/> from revision 6, one before.</summary>
    [JsonIgnore]
    public int PreparedAhead => Revision >= 6 ? Math.Max(1, ActionsAhead) : 1;

    /// <summary>
    /// Workers served by an agent that dials the server (Tinkerbell's tink-agent, <c>dwf agent</c>), mapped to the
    /// agent's ID; resolved once at the start (host.json's <c>"agent"</c> workers, <c>UnknownWorkers: agent</c>, a
    /// Hardware record's <c>spec.agentID</c>), so every node and replay resolves the same way; null when none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? AgentWorkers { get; init; }

    /// <summary>What an agent is allowed past an action's timeout for its own TIMEOUT report to arrive, before the run ends the action TIMEOUT.</summary>
    public TimeSpan AgentReportGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The agent that serves <paramref name="worker"/> in this run, or null when a Docker endpoint does.</summary>
    public string? AgentOf(string worker) =>
        OffersAgentActions && AgentWorkers is not null && AgentWorkers.TryGetValue(worker, out string? agent) ? agent : null;

    /// <summary>The longest one WaitAction / AwaitServiceHealthy call waits before it reports back (host.json MaxWaitSeconds).</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The durable-timer backoff before the first retry of an action; doubled for each further retry.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap of the retry backoff.</summary>
    public TimeSpan MaxRetryBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times CleanupWorkflow is tried before the workflow gives up on it (the reaper then removes what is left).</summary>
    public int CleanupAttempts { get; init; } = 5;

    /// <summary>The first interval between CleanupWorkflow attempts; doubled for each further attempt.</summary>
    public TimeSpan CleanupRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Workers whose Docker endpoint this run knows without host.json: a worker that is one of the MACs of the
    /// workflow's hardware record, mapped to the record's endpoint. Resolved once at the start, so every node and every
    /// replay resolves the same way; null (the default) when there is none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? WorkerEndpoints { get; init; }

    /// <summary>
    /// How many times a container activity is tried while its Docker engine cannot be reached (a restarting engine comes
    /// back within seconds); after that the step fails with the engine's error. 1 turns the grace off.
    /// </summary>
    public int EngineUnreachableAttempts { get; init; } = 5;

    /// <summary>The first interval between those attempts; doubled for each further one (capped by <see cref="MaxRetryBackoff"/>).</summary>
    public TimeSpan EngineUnreachableRetryInterval { get; init; } = TimeSpan.FromSeconds(1);
}
