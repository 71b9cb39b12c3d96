namespace DurableWorkflows.GoTemplates.Exec;

/// <summary>What a missing map key gives (Go's <c>missingkey</c> option).</summary>
internal enum MissingKey
{
    /// <summary><c>&lt;no value&gt;</c> (Go's default, also <c>invalid</c>).</summary>
    Default,

    /// <summary>The zero value of the map's element type.</summary>
    Zero,

    /// <summary>An error at the key.</summary>
    Error,
}

/// <param name="BareNames">Our extension: a dot-less name that is not a function reads the top-level variable of that name.</param>
/// <param name="Limits">What one rendering may cost.</param>
internal sealed record ExecOptions(MissingKey MissingKey, bool BareNames, RenderLimits Limits);
