using DurableTask.Core.History;
using Google.Protobuf;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker.Grpc;
using P = Microsoft.DurableTask.Protobuf;

namespace DurableWorkflows.Orchestrations.Tests.Infrastructure;

/// <summary>
/// Replays a recorded orchestration history through an orchestrator the way the gRPC worker does
/// (<see cref="GrpcOrchestrationRunner"/>), and stores histories as protobuf JSON.
/// </summary>
public static class HistoryReplay
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithIndentation());

    public static IReadOnlyList<P.HistoryEvent> ToProto(IEnumerable<HistoryEvent> events) =>
        [.. events.Select(ProtobufUtils.ToHistoryEventProto)];

    public static string ToJson(IEnumerable<P.HistoryEvent> events)
    {
        var chunk = new P.HistoryChunk();
        chunk.Events.AddRange(events);
        return Formatter.Format(chunk) + "\n";
    }

    public static IReadOnlyList<P.HistoryEvent> FromJson(string json) => [.. JsonParser.Default.Parse<P.HistoryChunk>(json).Events];

    /// <summary>The result the history ended with (the ExecutionCompleted event's).</summary>
    public static P.ExecutionCompletedEvent Completion(IReadOnlyList<P.HistoryEvent> history) =>
        history.Select(e => e.ExecutionCompleted).Last(e => e is not null);

    /// <summary>
    /// Runs the orchestrator over the history up to (not including) its completion: the events before the last
    /// episode as past events, the last episode's as new ones. Returns the actions the orchestrator asks for.
    /// </summary>
    public static P.OrchestratorResponse Replay(IReadOnlyList<P.HistoryEvent> history, Microsoft.DurableTask.ITaskOrchestrator orchestrator)
    {
        ArgumentNullException.ThrowIfNull(history);
        List<P.HistoryEvent> events = [.. history.Where(e => e.EventTypeCase != P.HistoryEvent.EventTypeOneofCase.ExecutionCompleted)];
        int lastEpisode = events.FindLastIndex(e => e.EventTypeCase == P.HistoryEvent.EventTypeOneofCase.OrchestratorStarted);
        string instanceId = history.Select(e => e.ExecutionStarted).First(e => e is not null).OrchestrationInstance.InstanceId;
        var request = new P.OrchestratorRequest { InstanceId = instanceId };
        request.PastEvents.AddRange(events.Take(lastEpisode));
        request.NewEvents.AddRange(events.Skip(lastEpisode));
        string response = GrpcOrchestrationRunner.LoadAndRun(Convert.ToBase64String(request.ToByteArray()), orchestrator);
        return P.OrchestratorResponse.Parser.ParseFrom(Convert.FromBase64String(response));
    }
}
