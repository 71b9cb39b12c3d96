using System.CommandLine;
using System.Runtime.InteropServices;
using DurableWorkflows.Cli.Common;
using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;
using DurableWorkflows.Server;
using DurableWorkflows.Server.Hosting;
using DurableWorkflows.Server.Workflows;
using Microsoft.AspNetCore.Builder;
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
        // The host is built (it reads the settings, the template limits among them) but not started: an invalid
        // template costs no sidecar.
        await using WebApplication host = WorkflowHost.Build(
            ServerRole.Run,
            new Dictionary<string, string?> { [$"{DurableWorkflowsOptions.SectionName}:Backend"] = BackendNames.Memory });
        WorkflowStartResult prepared = WorkflowStarter.Prepare(workflowId, text, data.Variables, data.Hardware, WorkflowSettings.Default.MaxWait);
        if (prepared.Input is not { Definition: var definition })
        {
            return await RefusedAsync(prepared, path, error);
        }

        // The Docker client's first calls are compiled while the host starts, not when the first container is due.
        Task warming = host.Services.GetRequiredService<ContainerEngine>().WarmUpAsync(
            workflowId, definition.Services.Select(s => s.Image).Concat(definition.Tasks.SelectMany(t => t.Actions.Select(a => a.Image))), cancellationToken);
        await host.StartAsync(cancellationToken);
        try
        {
            WorkflowManager manager = host.Services.GetRequiredService<WorkflowManager>();
            WorkflowStartResult started = await host.Services.GetRequiredService<IWorkflowStarter>().StartAsync(
                new WorkflowStartRequest(workflowId, text, data.Variables, data.Hardware is null ? null : HardwareSource.Of(data.Hardware)),
                cancellationToken);
            if (started.Outcome != WorkflowStartOutcome.Started)
            {
                return await RefusedAsync(started, path, error);
            }

            await error.WriteLineAsync($"workflow {definition.Name} ({workflowId}) started");
            WorkflowSnapshot final = await FollowAsync(manager, workflowId, new WorkflowProgress(error), error, cancellationToken);
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
            await host.StopAsync(stopping.Token);
        }
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

    /// <summary>Follows the workflow until it ends, writing its progress; the first Ctrl-C raises the cancel event.</summary>
    private static async Task<WorkflowSnapshot> FollowAsync(
        WorkflowManager manager,
        string workflowId,
        WorkflowProgress progress,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        int interrupts = 0;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            if (Interlocked.Increment(ref interrupts) == 1)
            {
                error.WriteLine("cancelling: the workflow stops its action and removes its containers...");
                _ = manager.CancelAsync(workflowId, $"{context.Signal} received", CancellationToken.None);
            }
            else
            {
                error.WriteLine("still cancelling: waiting for the cleanup to finish");
            }
        }

        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
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
