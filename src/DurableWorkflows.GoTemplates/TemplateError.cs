namespace DurableWorkflows.GoTemplates;

/// <summary>A position in a template's text, 1-based, as editors show it.</summary>
public readonly record struct SourceLocation(int Line, int Column)
{
    public override string ToString() => $"{Line}:{Column}";
}

/// <summary>One problem found in a template, at the line:column where it is.</summary>
public sealed record TemplateError(SourceLocation Location, string Message)
{
    /// <summary>The compiler-style form users see: <c>FILE:LINE:COL: message</c>.</summary>
    public string Format(string file) => $"{file}:{Location.Line}:{Location.Column}: {Message}";

    public override string ToString() => $"{Location.Line}:{Location.Column}: {Message}";
}
