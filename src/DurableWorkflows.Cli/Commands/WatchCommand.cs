using System.CommandLine;
using System.Text.Json;
using DurableWorkflows.Cli.Common;
using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Cli.Commands;

/// <summary><c>dwf watch ID [--server URL]</c>: follow a workflow's progress until it ends; exit with its exit code (0, 1, 3, 4).</summary>
public static class WatchCommand
{
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public static Command Create()
    {
        var id = new Argument<string>("ID") { Description = "The workflow id." };
        var command = new Command("watch", "Follow a workflow until it ends; exit with its exit code.") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using ServerClient client = ServerClient.From(parse);
            var progress = new WorkflowProgress(parse.InvocationConfiguration.Error);
            // Each read waits on the server up to PollInterval for the workflow to end: the watch ends when it does.
            string wait = PollInterval.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            string path = $"/api/workflows/{Uri.EscapeDataString(parse.GetValue(id)!)}?wait={wait}";
            while (true)
            {
                var (code, body) = await client.SendAsync(HttpMethod.Get, path, null, cancellationToken);
                WorkflowStatus status = body.Deserialize<WorkflowStatus>(ServerClient.Json)!;
                if (code == System.Net.HttpStatusCode.OK)
                {
                    progress.Finish(status);
                    return WorkflowExit.CodeOf(status.State);
                }

                progress.Update(status);
            }
        });
        return command;
    }
}
