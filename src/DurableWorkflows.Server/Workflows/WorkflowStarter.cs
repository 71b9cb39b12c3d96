using DurableTask.Core.Exceptions;
using DurableWorkflows.Containers;
using DurableWorkflows.Core.Contracts;
using DurableWorkflows.Core.Hardware;
using DurableWorkflows.Core.Templates;
using DurableWorkflows.GoTemplates;
using DurableWorkflows.Server.Agents;
using DurableWorkflows.Server.Hardware;
using Grpc.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace DurableWorkflows.Server.Workflows;

/// <summary>
/// Starts workflows (see <see cref="IWorkflowStarter"/>). The schedule call itself refuses an id in use, whatever state
/// its workflow is in, so two starts of one id (two API calls, a schedule's activity delivered twice) start one workflow.
/// </summary>
public sealed class WorkflowStarter(
    DurableTaskClient client,
    IHardwareInventory inventory,
    IOptions<DockerOptions> dockerOptions,
    IOptions<AgentOptions>? agentOptions = null,
    ITemplateStore? templates = null) : IWorkflowStarter
{
    public async Task<WorkflowStartResult> PrepareAsync(WorkflowStartRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        string id = request.WorkflowId;
        if (TinkObjects.Read(request.Template) is { Errors.Count: 0, IsWorkflow: true } workflow)
        {
            // A Workflow object: its template from the same file or the store, its hardwareMap as variables, its Hardware from the file or the store.
            if (workflow.Template is null || workflow.TemplateName != workflow.TemplateRef)
            {
                if (TemplateNames.Validate(workflow.TemplateRef) is { } nameError)
                {
                    return new WorkflowStartResult(WorkflowStartOutcome.InvalidTemplate, id, Errors: [new TemplateError(new SourceLocation(1, 1), $"spec.templateRef: {nameError}")]);
                }

                if (templates is null || await templates.GetAsync(workflow.TemplateRef!, cancellationToken) is not { } stored)
                {
                    return new WorkflowStartResult(WorkflowStartOutcome.UnknownTemplate, id, Message: $"No template named '{workflow.TemplateRef}' (the Workflow's spec.templateRef): put it first (PUT /api/templates/{workflow.TemplateRef}).");
                }

                request = request with { Template = stored.Text, Vars = Merged(workflow.HardwareMap, request.Vars) };
            }

            request = request with
            {
                Hardware = request.Hardware
                    ?? (workflow.Hardware is { } inline ? HardwareSource.Inline(inline) : workflow.HardwareRef is { } reference ? HardwareSource.Stored(reference) : null),
            };
        }

        HardwareRecord? hardware = null;
        if (request.Hardware is { } source)
        {
            if (source.StoredName is { } name)
            {
                if (HardwareNames.Validate(name) is { } nameError)
                {
                    return new WorkflowStartResult(WorkflowStartOutcome.InvalidHardware, id, Message: nameError);
                }

                if (await inventory.GetAsync(name, cancellationToken) is not { } entry)
                {
                    return new WorkflowStartResult(WorkflowStartOutcome.UnknownHardware, id, Message: $"No hardware record named '{name}': put it first (PUT /api/hardware/{name}).");
                }

                source = HardwareSource.Inline(entry.Text);
            }

            if (source.Text is { } text)
            {
                HardwareParseResult parsed = HardwareRecord.Parse(text);
                if (!parsed.Succeeded)
                {
                    return new WorkflowStartResult(WorkflowStartOutcome.InvalidHardware, id, Errors: parsed.Errors);
                }

                hardware = parsed.Record;
            }
            else
            {
                hardware = source.Record;
            }
        }

        WorkflowStartResult prepared = Prepare(id, request.Template, request.Vars, hardware, dockerOptions.Value.MaxWait, dockerOptions.Value);
        if (prepared.Input is { } traced && CurrentTraceParent is { } parent)
        {
            prepared = prepared with { Input = traced with { TraceParent = parent } };
        }

        return agentOptions?.Value is { } agents && prepared.Input is { Settings: { } settings } input
            ? prepared with { Input = input with { Settings = settings with { AgentReportGrace = TimeSpan.FromSeconds(Math.Max(0, agents.ReportGraceSeconds)) } } }
            : prepared;
    }

    /// <summary>The request's trace (an HTTP start, a schedule's activity), which a workflow it starts belongs to (its spans are children of it); null outside a W3C trace.</summary>
    public static string? CurrentTraceParent =>
        System.Diagnostics.Activity.Current is { IdFormat: System.Diagnostics.ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>
    /// The template rendered with the workflow's id, its variables and <paramref name="hardware"/>, validated, and the
    /// settings of a new run (the latest revision, the engine's MaxWait, the record's worker endpoints).
    /// </summary>
    /// <remarks>
    /// Tinkerbell's objects are read here too: a Template object's <c>spec.data</c> is the template (its errors at the
    /// file's line:column); a Workflow object's <c>hardwareMap</c> are variables under <paramref name="vars"/>, and a
    /// Hardware object in the same file is the record when none is given.
    /// </remarks>
    public static WorkflowStartResult Prepare(
        string workflowId, string template, IReadOnlyDictionary<string, string>? vars, HardwareRecord? hardware, TimeSpan maxWait, DockerOptions? workers = null)
    {
        ArgumentNullException.ThrowIfNull(template);
        TemplateOffset at = default;
        if (TinkObjects.Read(template) is { } tink)
        {
            if (tink.Errors.Count > 0)
            {
                return new WorkflowStartResult(WorkflowStartOutcome.InvalidTemplate, workflowId, Errors: tink.Errors);
            }

            if (tink.Template is null || (tink.IsWorkflow && tink.TemplateName != tink.TemplateRef))
            {
                return new WorkflowStartResult(WorkflowStartOutcome.UnknownTemplate, workflowId,
                    Message: $"The Workflow's spec.templateRef '{tink.TemplateRef}' names no Template object in the file: put the Template object in the same file (a server also has stored templates).");
            }

            if (hardware is null && tink.Hardware is { } inline)
            {
                HardwareParseResult parsed = HardwareRecord.Parse(inline);
                if (!parsed.Succeeded)
                {
                    return new WorkflowStartResult(WorkflowStartOutcome.InvalidHardware, workflowId, Errors: parsed.Errors);
                }

                hardware = parsed.Record;
            }

            template = tink.Template;
            at = tink.TemplateAt;
            vars = Merged(tink.HardwareMap, vars);
        }

        TemplateLoadResult loaded = WorkflowTemplate.Load(template, new TemplateData(vars ?? new Dictionary<string, string>(), workflowId) { Hardware = hardware });
        if (!loaded.IsValid)
        {
            return new WorkflowStartResult(WorkflowStartOutcome.InvalidTemplate, workflowId, Errors: [.. loaded.Errors.Select(at.InFile)]);
        }

        WorkflowDefinition definition = loaded.Definition!;
        Dictionary<string, string> agents = AgentWorkers(definition, hardware, workers);
        TemplateError[] agentServices = [.. definition.Services
            .Where(s => agents.ContainsKey(s.Worker))
            .Select(s => new TemplateError(s.Location, $"service '{s.Name}' runs on worker '{s.Worker}', which an agent serves (agent '{agents[s.Worker]}'): services run on Docker endpoints, such as the provisioner's"))];
        if (agentServices.Length > 0)
        {
            return new WorkflowStartResult(WorkflowStartOutcome.InvalidTemplate, workflowId, Errors: agentServices);
        }

        var origin = new WorkflowOrigin(loaded.RenderedText, vars is null ? null : new Dictionary<string, string>(vars, StringComparer.Ordinal), hardware?.ToJson().ToJsonString());
        var input = new WorkflowInput(workflowId, definition, WorkflowSettings.ForNewRun(maxWait, definition, hardware, agents), Origin: origin);
        return new WorkflowStartResult(WorkflowStartOutcome.Started, workflowId, input);
    }

    /// <summary>A Workflow object's hardwareMap with the caller's variables over it.</summary>
    private static Dictionary<string, string> Merged(IReadOnlyDictionary<string, string> hardwareMap, IReadOnlyDictionary<string, string>? vars)
    {
        var merged = new Dictionary<string, string>(hardwareMap, StringComparer.Ordinal);
        foreach ((string key, string value) in vars ?? new Dictionary<string, string>())
        {
            merged[key] = value;
        }

        return merged;
    }

    /// <summary>The workers agents serve, each with its agent's ID: host.json's, then the Hardware record's <c>spec.agentID</c> for its MACs.</summary>
    private static Dictionary<string, string> AgentWorkers(WorkflowDefinition definition, HardwareRecord? hardware, DockerOptions? workers)
    {
        IEnumerable<string> all = definition.Services.Select(s => s.Worker).Concat(definition.Tasks.Select(t => t.Worker));
        Dictionary<string, string> agents = workers?.AgentWorkers(all) ?? new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string worker, string agent) in hardware?.AgentWorkers(definition) ?? new Dictionary<string, string>())
        {
            agents[worker] = agent;
        }

        return agents;
    }

    public async Task<WorkflowStartResult> StartAsync(WorkflowStartRequest request, CancellationToken cancellationToken = default) =>
        await ScheduleAsync(await PrepareAsync(request, cancellationToken), cancellationToken);

    /// <summary>Schedules a prepared workflow; what did not prepare is returned as it is.</summary>
    public async Task<WorkflowStartResult> ScheduleAsync(WorkflowStartResult prepared, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prepared);
        if (prepared.Outcome != WorkflowStartOutcome.Started)
        {
            return prepared;
        }

        return prepared with { Outcome = await ScheduleAsync(prepared.Input!, cancellationToken) };
    }

    /// <summary>Schedules the orchestration under the input's workflow id, unless an instance of that id exists in any state.</summary>
    public async Task<WorkflowStartOutcome> ScheduleAsync(WorkflowInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(
                OrchestrationNames.Workflow,
                input,
                new StartOrchestrationOptions(input.WorkflowId).WithDedupeStatuses([.. StartOrchestrationOptionsExtensions.ValidDedupeStatuses]),
                cancellationToken);
            return WorkflowStartOutcome.Started;
        }
        catch (Exception e) when (e is OrchestrationAlreadyExistsException or RpcException { StatusCode: StatusCode.AlreadyExists })
        {
            return WorkflowStartOutcome.AlreadyExists;
        }
    }
}
