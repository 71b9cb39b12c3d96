using System.Collections.Concurrent;
using Docker.DotNet.Models;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Durability.Tests.Infrastructure;

/// <summary>The Docker events of a run's containers (<see cref="DurabilityRun.WatchContainerEvents"/>), as they arrive.</summary>
public sealed class ContainerEventLog : IProgress<Message>
{
    private readonly ConcurrentQueue<Message> events = new();

    /// <summary>The event stream; it ends (cancelled) with the token it was started with.</summary>
    public Task Watching { get; internal set; } = Task.CompletedTask;

    /// <summary>
    /// How many times each workflow's containers had <paramref name="action"/> (create, start, ...), by workflow id; with
    /// <paramref name="held"/>, only those of containers started ahead of their action (true) or not (false).
    /// </summary>
    public IReadOnlyDictionary<string, int> CountByWorkflow(string action, bool? held = null) =>
        events
            .Where(e => e.Action == action && WorkflowOf(e) is not null && (held is null || IsHeld(e) == held))
            .GroupBy(e => WorkflowOf(e)!)
            .ToDictionary(g => g.Key, g => g.Count());

    private static bool IsHeld(Message e) => e.Actor?.Attributes?.ContainsKey(ContainerLabels.Held) == true;

    /// <summary>Every event so far, one a line: time, action, container name, workflow id.</summary>
    public override string ToString() => string.Join(
        "\n",
        events.Select(e => $"{DateTimeOffset.FromUnixTimeMilliseconds(e.TimeNano / 1_000_000):HH:mm:ss.fff} {e.Action} {e.Actor?.Attributes?.FirstOrDefault(a => a.Key == "name").Value} {WorkflowOf(e)}"));

    private static string? WorkflowOf(Message e) =>
        e.Actor?.Attributes is { } attributes && attributes.TryGetValue(ContainerLabels.WorkflowId, out string? id) ? id : null;

    /// <summary>Polls until <paramref name="condition"/> holds of the events so far; fails listing them at the deadline.</summary>
    public async Task WaitUntilAsync(Func<ContainerEventLog, bool> condition, CancellationToken cancellationToken)
    {
        while (!condition(this))
        {
            try
            {
                await Task.Delay(100, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"Docker did not report the expected container events in time; it reported:\n{this}");
            }
        }
    }

    public void Report(Message value) => events.Enqueue(value);
}
