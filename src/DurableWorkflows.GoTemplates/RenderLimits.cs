namespace DurableWorkflows.GoTemplates;

/// <summary>
/// What one rendering may cost, so that a hostile template cannot hurt the process that renders it. Going past a
/// limit is an error at the construct's line:column (the rendering stops there).
/// </summary>
public sealed record RenderLimits
{
    /// <summary>The longest rendered text, and the longest string or list a function may make (<c>repeat</c>, <c>until</c>, ...).</summary>
    public long MaxOutputChars { get; init; } = 64 * 1024 * 1024;

    /// <summary><c>range</c> iterations in one rendering, all ranges together.</summary>
    public long MaxIterations { get; init; } = 10_000_000;

    /// <summary>How deep <c>if</c>/<c>range</c>/<c>with</c> and parentheses may nest.</summary>
    public int MaxNesting { get; init; } = 200;

    /// <summary>How deep <c>{{template}}</c> calls may nest (Go allows 100,000; a recursion past this is an error).</summary>
    public int MaxTemplateDepth { get; init; } = 1000;

    /// <summary>The longest one rendering may run.</summary>
    public TimeSpan MaxTime { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The defaults.</summary>
    public static RenderLimits Default { get; } = new();

    /// <summary>The limits of the rendering running on this thread (functions read them), else the defaults.</summary>
    internal static RenderLimits Current => t_current ?? Default;

    [ThreadStatic]
    private static RenderLimits? t_current;

    /// <summary>Makes these the current limits until the result is disposed.</summary>
    internal Scope Enter() => new(this);

    internal readonly struct Scope : IDisposable
    {
        private readonly RenderLimits? _outer;

        public Scope(RenderLimits limits)
        {
            _outer = t_current;
            t_current = limits;
        }

        public void Dispose() => t_current = _outer;
    }
}
