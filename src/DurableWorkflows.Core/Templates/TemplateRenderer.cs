using DurableWorkflows.Core.Hardware;
using DurableWorkflows.GoTemplates;
using DurableWorkflows.GoTemplates.Sprig;

namespace DurableWorkflows.Core.Templates;

/// <summary>What a template may read while it is rendered.</summary>
/// <param name="Variables">The user's variables (<c>--var K=V</c>, the API's <c>vars</c>): top-level keys of dot.</param>
/// <param name="WorkflowId">The built-in <c>workflowid</c>.</param>
public sealed record TemplateData(IReadOnlyDictionary<string, string> Variables, string WorkflowId)
{
    /// <summary>The name of the built-in variable holding the workflow id.</summary>
    public const string WorkflowIdName = "workflowid";

    /// <summary>The name under which the hardware record is visible (<c>.Hardware.Disks</c>).</summary>
    public const string HardwareName = "Hardware";

    /// <summary>The machine's Hardware record, visible as <c>.Hardware</c> as Tinkerbell exposes it; none by default.</summary>
    public HardwareRecord? Hardware { get; init; }

    /// <summary>The value of a variable, the built-in <c>workflowid</c> first.</summary>
    public bool TryGet(string name, out string value)
    {
        if (name == WorkflowIdName)
        {
            value = WorkflowId;
            return true;
        }

        if (Variables.TryGetValue(name, out string? v))
        {
            value = v;
            return true;
        }

        value = "";
        return false;
    }

    /// <summary>Dot as Tinkerbell builds it: the variables, then <c>workflowid</c>, then <c>Hardware</c>.</summary>
    internal Dictionary<string, object?> ToDot()
    {
        var dot = new Dictionary<string, object?>(Variables.Count + 2, StringComparer.Ordinal);
        foreach (KeyValuePair<string, string> v in Variables)
        {
            dot[v.Key] = v.Value;
        }

        dot[WorkflowIdName] = WorkflowId;
        if (Hardware is not null)
        {
            dot[HardwareName] = Hardware.ToTemplateData();
        }

        return dot;
    }
}

/// <summary>The rendered text, or the errors that stopped rendering.</summary>
/// <param name="Map">Maps offsets in <paramref name="Text"/> back to the template as written; null means the
/// offsets are the same on both sides.</param>
public sealed record RenderResult(string? Text, IReadOnlyList<TemplateError> Errors, SourceMap? Map = null)
{
    public bool Succeeded => Text is not null && Errors.Count == 0;
}

/// <summary>
/// Renders a template before its YAML is parsed, as Tinkerbell does: Go's <c>text/template</c> language with
/// <c>missingkey=error</c>, the sprig functions templates use and Tinkerbell's <c>formatPartition</c>
/// (see <see cref="GoTemplate"/>). Text outside <c>{{ }}</c> passes through untouched. Every failing action is an
/// error at its line:column. Extension: a dot-less <c>{{name}}</c> that is not a function reads the variable.
/// </summary>
public static class TemplateRenderer
{
    /// <summary>The language as tink configures it (Go's built-ins, <c>Funcs(sprig)</c>, its own functions, <c>missingkey=error</c>), plus our bare names.</summary>
    public static GoTemplate Language { get; private set; } = GoTemplate.New()
        .Funcs(SprigFunctions.FuncMap)
        .Funcs(TinkerbellFunctions.FuncMap)
        .Option("missingkey=error", "barenames=variables");

    /// <summary>The settings section of the rendering's limits (<see cref="RenderLimits"/>: MaxOutputChars, MaxIterations, MaxNesting, MaxTemplateDepth, MaxTime).</summary>
    public const string LimitsSection = "DurableWorkflows:Templates:Limits";

    /// <summary>Sets what one rendering may cost, for every rendering of this process; a limit that is not positive is an <see cref="ArgumentException"/> naming it.</summary>
    public static void Configure(RenderLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        (string Name, bool Valid)[] checks =
        [
            (nameof(limits.MaxOutputChars), limits.MaxOutputChars > 0),
            (nameof(limits.MaxIterations), limits.MaxIterations > 0),
            (nameof(limits.MaxNesting), limits.MaxNesting > 0),
            (nameof(limits.MaxTemplateDepth), limits.MaxTemplateDepth > 0),
            (nameof(limits.MaxTime), limits.MaxTime > TimeSpan.Zero),
        ];
        foreach ((string name, bool valid) in checks)
        {
            if (!valid)
            {
                throw new ArgumentException($"{LimitsSection}:{name} must be positive", nameof(limits));
            }
        }

        Language = Language.WithLimits(limits);
    }

    public static RenderResult Render(string text, TemplateData data)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(data);

        GoTemplate.Output output = Language.Render(text, data.ToDot());
        if (output.Text is null)
        {
            return new RenderResult(null, output.Errors);
        }

        var segments = output.Segments.Select(s => new SourceMap.Segment(s.RenderedStart, s.SourceStart, s.Length, s.Verbatim));
        return new RenderResult(output.Text, [], new SourceMap(text, segments));
    }
}
