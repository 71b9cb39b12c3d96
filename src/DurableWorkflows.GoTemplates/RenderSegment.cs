namespace DurableWorkflows.GoTemplates;

/// <summary>A range of rendered text and where it came from: copied text maps one to one, an action's output
/// maps to the action's <c>{{</c>.</summary>
public readonly record struct RenderSegment(int RenderedStart, int SourceStart, int Length, bool Verbatim);
