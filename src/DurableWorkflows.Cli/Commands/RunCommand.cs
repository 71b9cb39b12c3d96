using System.CommandLine;
using DurableWorkflows.Cli.Common;
using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;
using DurableWorkflows.Server;
using DurableWorkflows.Server.Hosting;
using DurableWorkflows.Server.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask.Converters;
using Microsoft.Extensions.DependencyInjection;

namespace DurableWorkflows.Cli.Commands;

/// <summary>
/// <c>dwf run FILE [--var K=V]... [--vars-file F] [--json]</c>: validate, then run the workflow in this process on the
/// memory backend against the local Docker engine, with live progress on stderr. Ctrl-C cancels gracefully (the
/// cleanup runs). Exit 0 SUCCESS, 1 FAILED, 3 TIMEOUT, 4 CANCELLED, 2 invalid template or usage.
/// </summary>
public static class RunCommand
{
    /// <summary>How often the progress is refreshed.</summary>
    public static TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    public static Command Create()
    {
        var template = new TemplateOptions();
        var json = new Option<bool>("--json")
        {
            Description = "Print the final status as JSON on stdout.",
        };
        var command = new Command("run", "Run one workflow in this process (memory backend, local Docker engine), with live progress.");
        template.AddTo(command);
        command.Add(json);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, template, parse.GetValue(json), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, TemplateOptions template, bool json, CancellationToken cancellationToken)
    {
        TextWriter output = parse.InvocationConfiguration.Output;
        TextWriter error = parse.InvocationConfiguration.Error;
        var (path, text) = template.ReadTemplate(parse);
        string workflowId = WorkflowManager.NewWorkflowId();
        TemplateData data = template.ReadData(parse, workflowId);
        // Signals are ours from here: a Ctrl-C while the host starts cancels the workflow once it is scheduled.
        using var interrupts = new RunInterrupts(error);
        // What the workflow's start compiles on first use is compiled on another core while the host is built: the
        // template's reading, and the input's JSON contract, which System.Text.Json builds by reflection (150-250 ms here).
        Task<WorkflowInput?> contracts = Task.Run(() => WarmUpContracts(workflowId, text, data));
        // The host is built first: it reads the settings, the template limits among them.
        await using WebApplication host = WorkflowHost.Build(
            ServerRole.Run,
            new Dictionary<string, string?> { [$"{DurableWorkflowsOptions.SectionName}:Backend"] = BackendNames.Memory });
        WorkflowStarter starter = host.Services.GetRequiredService<WorkflowStarter>();
        // The Docker client's first calls too, while the host starts, not when the first container is due.
        ContainerEngine engine = host.Services.GetRequiredService<ContainerEngine>();
        Task warming = Task.Run(async () =>
        {
            if (await contracts is { Definition: var definition })
            {
                await engine.WarmUpAsync(
                    workflowId, definition.Services.Select(s => s.Image).Concat(definition.Tasks.SelectMany(t => t.Actions.Select(a => a.Image))), cancellationToken);
            }
        });
        // The template is rendered and checked on another thread while the host starts: a valid one, the usual case,
        // does not wait for the sidecar's start after its own check (an invalid one stops the host again).
        Task<WorkflowStartResult> preparing = Task.Run(
            () => starter.PrepareAsync(
                new WorkflowStartRequest(workflowId, text, data.Variables, data.Hardware is null ? null : HardwareSource.Of(data.Hardware)),
                cancellationToken),
            cancellationToken);
        // The services start as soon as the template is prepared, while the host is still starting: their health
        // checks take that time anyway. The workflow's own start of each then finds its container.
        Task<WorkflowInput?> servicesAhead = StartServicesAheadAsync(engine, preparing, cancellationToken);
        bool scheduled = false;
        try
        {
            await host.StartAsync(cancellationToken);
            WorkflowStartResult prepared = await preparing;
            if (prepared.Input is not { Definition: var definition })
            {
                return await RefusedAsync(prepared, path, error);
            }

            WorkflowManager manager = host.Services.GetRequiredService<WorkflowManager>();
            WorkflowStartResult started = await starter.ScheduleAsync(prepared, cancellationToken);
            scheduled = started.Outcome == WorkflowStartOutcome.Started;
            if (!scheduled)
            {
                return await RefusedAsync(started, path, error);
            }

            interrupts.Scheduled(reason => manager.CancelAsync(workflowId, reason, CancellationToken.None));
            await error.WriteLineAsync($"workflow {definition.Name} ({workflowId}) started");
            WorkflowSnapshot final = await FollowAsync(manager, workflowId, new WorkflowProgress(error), cancellationToken);
            if (json)
            {
                await output.WriteLineAsync(final.ToJson().ToJsonString(WorkflowSnapshot.JsonOptions));
            }

            return WorkflowExit.CodeOf(final.Status.State);
        }
        finally
        {
            await warming;
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            if (await servicesAhead is { } ahead && !scheduled)
            {
                // Not scheduled (refused, cancelled, failed): no workflow will remove what was started ahead.
                try
                {
                    await engine.RemoveServicesAheadAsync(ahead, stopping.Token);
                }
                catch (Exception e) when (e is ContainerEngineException or OperationCanceledException)
                {
                    await error.WriteLineAsync($"could not remove the services started for workflow {workflowId}: {e.Message}");
                }
            }

            await host.StopAsync(stopping.Token);
        }
    }

    /// <summary>Starts the services of the prepared workflow ahead of its run; the input when it has services, else null.</summary>
    private static async Task<WorkflowInput?> StartServicesAheadAsync(ContainerEngine engine, Task<WorkflowStartResult> preparing, CancellationToken cancellationToken)
    {
        WorkflowStartResult prepared;
        try
        {
            prepared = await preparing;
        }
        catch (Exception)
        {
            // The run itself awaits the preparation and reports how it failed.
            return null;
        }

        if (prepared.Input is not { Definition.Services.Count: > 0 } input)
        {
            return null;
        }

        await engine.StartServicesAheadAsync(input, cancellationToken);
        return input;
    }

    /// <summary>
    /// Renders and checks the template (with the default limits: the host's are not read yet) and writes and reads its
    /// input as the Durable Task client and worker do. Its input only tells the Docker warm-up the images; an error is
    /// thrown away (the real start reports it).
    /// </summary>
    private static WorkflowInput? WarmUpContracts(string workflowId, string text, TemplateData data)
    {
        try
        {
            if (WorkflowStarter.Prepare(workflowId, text, data.Variables, data.Hardware, WorkflowSettings.Default.MaxWait).Input is { } input)
            {
                _ = JsonDataConverter.Default.Deserialize<WorkflowInput>(JsonDataConverter.Default.Serialize(input));
                return input;
            }
        }
        catch (Exception)
        {
            // Only a warm-up.
        }

        return null;
    }

    private static async Task<int> RefusedAsync(WorkflowStartResult result, string path, TextWriter error)
    {
        foreach (TemplateError e in result.Errors)
        {
            await error.WriteLineAsync(e.Format(path));
        }

        await error.WriteLineAsync(result.Message is { } message ? $"{path}: {message}" : $"{path}: invalid template, not run");
        return ExitCodes.Usage;
    }

    /// <summary>Follows the workflow until it ends, writing its progress (a Ctrl-C raises its cancel event: <see cref="RunInterrupts"/>).</summary>
    private static async Task<WorkflowSnapshot> FollowAsync(
        WorkflowManager manager,
        string workflowId,
        WorkflowProgress progress,
        CancellationToken cancellationToken)
    {
        WorkflowSnapshot? snapshot = await manager.GetAsync(workflowId, cancellationToken);
        while (snapshot is { IsFinished: false })
        {
            progress.Update(snapshot.Status);
            // Back with the final status as soon as the workflow ends, else with its progress after PollInterval.
            snapshot = await manager.WaitAsync(snapshot, PollInterval, cancellationToken);
        }

        if (snapshot is null)
        {
            throw new InvalidOperationException($"workflow {workflowId} disappeared");
        }

        progress.Finish(snapshot.Status);
        return snapshot;
    }
}
