using System.CommandLine;
using DurableWorkflows.Core.Hardware;
using DurableWorkflows.Core.Templates;

namespace DurableWorkflows.Cli.Common;

/// <summary>
/// The template inputs shared by every command that takes a template: the FILE argument, <c>--var KEY=VALUE</c>
/// (repeatable), <c>--vars-file F</c> (a YAML or JSON map) and <c>--hardware FILE</c> (a Hardware record). Add them with <see cref="AddTo"/>, read them
/// with <see cref="ReadTemplate"/> and <see cref="ReadVariables"/>; bad input throws <see cref="UsageException"/>.
/// </summary>
public sealed class TemplateOptions
{
    public Argument<string> File { get; } = new("FILE")
    {
        Description = "The workflow template (YAML, Tinkerbell format plus services).",
    };

    public Option<string[]> Vars { get; } = new("--var")
    {
        Description = "A template variable, KEY=VALUE; repeat for more. Overrides --vars-file.",
        HelpName = "KEY=VALUE",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string?> VarsFile { get; } = new("--vars-file")
    {
        Description = "A YAML or JSON file holding a map of template variables.",
        HelpName = "F",
    };

    public Option<string?> Hardware { get; } = new("--hardware")
    {
        Description = "The machine's Hardware record (YAML or JSON: Tinkerbell's Hardware object or its spec), read by the template as .Hardware.",
        HelpName = "FILE",
    };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(File);
        command.Add(Vars);
        command.Add(VarsFile);
        command.Add(Hardware);
    }

    /// <summary>What the template reads: the variables, the workflow id and the <c>--hardware</c> record, if any.</summary>
    public TemplateData ReadData(ParseResult parse, string workflowId) =>
        new(ReadVariables(parse), workflowId) { Hardware = ReadHardware(parse) };

    /// <summary>The <c>--hardware</c> record, or null without the option; a bad record is a usage error
    /// listing each problem as <c>FILE:LINE:COL: message</c>.</summary>
    public HardwareRecord? ReadHardware(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string? path = parse.GetValue(Hardware);
        if (path is null)
        {
            return null;
        }

        HardwareParseResult parsed = HardwareRecord.Parse(ReadFile(path, "hardware record"));
        if (!parsed.Succeeded)
        {
            throw new UsageException($"invalid hardware record:{Environment.NewLine}{string.Join(Environment.NewLine, parsed.Errors.Select(e => e.Format(path)))}");
        }

        return parsed.Record;
    }

    /// <summary>The template file's path as given and its text.</summary>
    public (string Path, string Text) ReadTemplate(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        string path = parse.GetValue(File) ?? throw new UsageException("missing FILE");
        return (path, ReadFile(path, "template"));
    }

    /// <summary>The variables: the --vars-file's, then every --var on top.</summary>
    public Dictionary<string, string> ReadVariables(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        string? varsFile = parse.GetValue(VarsFile);
        if (varsFile is not null)
        {
            var parsed = VariablesFile.Parse(ReadFile(varsFile, "vars file"));
            if (parsed.Error is not null)
            {
                throw new UsageException($"{varsFile}:{parsed.Error}");
            }

            foreach (var (key, value) in parsed.Variables!)
            {
                variables[key] = value;
            }
        }

        foreach (string assignment in parse.GetValue(Vars) ?? [])
        {
            var (key, value) = ParseAssignment(assignment);
            variables[key] = value;
        }

        return variables;
    }

    /// <summary>Splits <c>KEY=VALUE</c> at the first '='; the value may be empty, the key may not.</summary>
    public static (string Key, string Value) ParseAssignment(string assignment)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        int eq = assignment.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0)
        {
            throw new UsageException($"--var expects KEY=VALUE, got '{assignment}'");
        }

        string key = assignment[..eq].Trim();
        if (key.Length == 0 || key.Any(char.IsWhiteSpace))
        {
            throw new UsageException($"--var expects KEY=VALUE with a non-empty key without spaces, got '{assignment}'");
        }

        return (key, assignment[(eq + 1)..]);
    }

    private static string ReadFile(string path, string what)
    {
        try
        {
            return System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new UsageException($"cannot read {what} '{path}': {e.Message}", e);
        }
    }
}
