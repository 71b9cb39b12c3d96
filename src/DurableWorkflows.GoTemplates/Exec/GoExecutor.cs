using System.Collections;
using System.Diagnostics;
using System.Text;

namespace DurableWorkflows.GoTemplates.Exec;

/// <summary>
/// Executes a parsed template with Go's semantics and the template's options. Unlike Go it does not stop at the
/// first failing action: the action prints nothing, the error is kept, and rendering goes on so that every
/// error is reported at once (the text is then discarded).
/// </summary>
internal sealed partial class GoExecutor
{
    private const int MaxErrors = 100;

    private static readonly object Missing = new();

    private readonly string _source;
    private readonly IReadOnlyDictionary<string, GoFunction> _funcs;
    private readonly IReadOnlyDictionary<string, ListNode> _templates;
    private readonly object? _root;
    private readonly ExecOptions _options;
    private readonly RenderLimits _limits;
    private readonly long _deadline;
    private readonly StringBuilder _out;
    private readonly List<RenderSegment> _segments = [];
    private readonly List<GoTemplateException> _errors = [];
    private readonly List<(string Name, object? Value)> _vars = [];
    private long _iterations;

    private GoExecutor(string source, IReadOnlyDictionary<string, ListNode> templates, IReadOnlyDictionary<string, GoFunction> funcs, ExecOptions options, object? root)
    {
        _source = source;
        _templates = templates;
        _funcs = funcs;
        _options = options;
        _limits = options.Limits;
        _deadline = Stopwatch.GetTimestamp() + (long)(options.Limits.MaxTime.TotalSeconds * Stopwatch.Frequency);
        _root = root;
        _out = new StringBuilder(source.Length + (source.Length / 4));
    }

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    private sealed class StopException : Exception;

    public static (string Text, List<RenderSegment> Segments, List<GoTemplateException> Errors) Execute(
        string source, IReadOnlyDictionary<string, ListNode> templates, IReadOnlyDictionary<string, GoFunction> funcs, ExecOptions options, object? root)
    {
        var ex = new GoExecutor(source, templates, funcs, options, root);
        ex._vars.Add(("$", root));
        try
        {
            ex.WalkList(templates[GoParser.RootName], root);
        }
        catch (StopException)
        {
            // Too many errors, or a limit was hit: what was found is reported.
        }

        return (ex._out.ToString(), ex._segments, ex._errors);
    }

    private void AddError(GoTemplateException e)
    {
        _errors.Add(e);
        if (_errors.Count >= MaxErrors)
        {
            throw new StopException();
        }
    }

    private GoTemplateException Error(GoNode node, string message)
    {
        int end = Math.Min(node.End, _source.Length);
        int start = Math.Min(node.Pos, end);
        string text = _source[start..end].Trim();
        if (text.Length > 60)
        {
            text = text[..57] + "...";
        }

        return new GoTemplateException(node.ActionPos, text.Length > 0 ? $"{message} (at <{text}>)" : message);
    }

    private void Emit(string text, int sourceStart, bool verbatim)
    {
        if (text.Length == 0)
        {
            return;
        }

        if (_out.Length + text.Length > _limits.MaxOutputChars)
        {
            _errors.Add(new GoTemplateException(sourceStart, $"rendered text exceeds {_limits.MaxOutputChars} characters"));
            throw new StopException();
        }

        _segments.Add(new RenderSegment(_out.Length, sourceStart, text.Length, verbatim));
        _out.Append(text);
    }

    private Flow WalkList(ListNode list, object? dot)
    {
        foreach (GoNode node in list.Nodes)
        {
            Flow flow = Walk(node, dot);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }

        return Flow.Normal;
    }

    private Flow Walk(GoNode node, object? dot)
    {
        switch (node)
        {
            case TextNode text:
                Emit(text.Text, text.Pos, verbatim: true);
                return Flow.Normal;
            case ActionNode action:
                try
                {
                    object? value = EvalPipeline(dot, action.Pipe);
                    if (action.Pipe.Decl.Count == 0)
                    {
                        Emit(GoFormat.PrintAction(value), action.ActionPos, verbatim: false);
                    }
                }
                catch (GoTemplateException e)
                {
                    AddError(e);
                }

                return Flow.Normal;
            case BranchNode branch:
                return WalkBranch(branch, dot);
            case RangeNode range:
                return WalkRange(range, dot);
            case TemplateNode call:
                WalkTemplate(call, dot);
                return Flow.Normal;
            case BreakNode:
                return Flow.Break;
            case ContinueNode:
                return Flow.Continue;
            case ListNode list:
                return WalkList(list, dot);
            default:
                AddError(new GoTemplateException(node.ActionPos, "unknown node"));
                return Flow.Normal;
        }
    }

    private Flow WalkBranch(BranchNode branch, object? dot)
    {
        int mark = _vars.Count;
        try
        {
            object? value;
            try
            {
                value = EvalPipeline(dot, branch.Pipe);
            }
            catch (GoTemplateException e)
            {
                AddError(e);
                return Flow.Normal;
            }

            if (GoValues.IsTrue(value))
            {
                return WalkList(branch.List, branch.IsWith ? value : dot);
            }

            return branch.ElseList is null ? Flow.Normal : WalkList(branch.ElseList, dot);
        }
        finally
        {
            _vars.RemoveRange(mark, _vars.Count - mark);
        }
    }

    private Flow WalkRange(RangeNode range, object? dot)
    {
        int mark = _vars.Count;
        try
        {
            object? value;
            try
            {
                value = EvalPipeline(dot, range.Pipe);
                if (value is GoPointer p)
                {
                    value = p.Target;
                }

                switch (value)
                {
                    case null or IList or IDictionary:
                        break;
                    case long or GoInt64:
                        long n = GoValues.AsInt(value);
                        if (range.Pipe.Decl.Count > 1)
                        {
                            throw Error(range.Pipe, $"can't use {n} to iterate over more than one variable");
                        }

                        break;
                    default:
                        throw Error(range.Pipe, $"range can't iterate over {GoFormat.ToText(value)}");
                }
            }
            catch (GoTemplateException e)
            {
                AddError(e);
                return Flow.Normal;
            }

            int count = 0;
            switch (value)
            {
                case IList list:
                    for (int i = 0; i < list.Count; i++, count++)
                    {
                        if (Iterate(range, (long)i, list[i]) == Flow.Break)
                        {
                            break;
                        }
                    }

                    break;
                case IDictionary map:
                    foreach (string key in GoValues.SortedKeys(map))
                    {
                        count++;
                        if (Iterate(range, key, map[key]) == Flow.Break)
                        {
                            break;
                        }
                    }

                    break;
                case long or GoInt64:
                    for (long i = 0, n = GoValues.AsInt(value); i < n; i++, count++)
                    {
                        if (Iterate(range, i, i) == Flow.Break)
                        {
                            break;
                        }
                    }

                    break;
            }

            if (count == 0 && range.ElseList is not null)
            {
                return WalkList(range.ElseList, dot);
            }

            return Flow.Normal;
        }
        finally
        {
            _vars.RemoveRange(mark, _vars.Count - mark);
        }
    }

    private Flow Iterate(RangeNode range, object? index, object? element)
    {
        if (++_iterations > _limits.MaxIterations)
        {
            _errors.Add(new GoTemplateException(range.ActionPos, $"range: more than {_limits.MaxIterations} iterations in one rendering"));
            throw new StopException();
        }

        CheckTime(range);

        IReadOnlyList<VariableNode> decl = range.Pipe.Decl;
        if (decl.Count > 0)
        {
            if (range.Pipe.IsAssign)
            {
                SetVar(decl[0].Ident[0], decl.Count > 1 ? index : element);
                if (decl.Count > 1)
                {
                    SetVar(decl[1].Ident[0], element);
                }
            }
            else
            {
                _vars[^1] = (_vars[^1].Name, element);
                if (decl.Count > 1)
                {
                    _vars[^2] = (_vars[^2].Name, index);
                }
            }
        }

        int mark = _vars.Count;
        try
        {
            Flow flow = WalkList(range.List, element);
            return flow == Flow.Break ? Flow.Break : Flow.Normal;
        }
        finally
        {
            _vars.RemoveRange(mark, _vars.Count - mark);
        }
    }

    /// <summary>Stops a rendering that has run past its time (checked where work repeats: each iteration, each template call).</summary>
    private void CheckTime(GoNode node)
    {
        if (Stopwatch.GetTimestamp() > _deadline)
        {
            _errors.Add(new GoTemplateException(node.ActionPos, $"rendering took longer than {_limits.MaxTime.TotalSeconds:0.###} s"));
            throw new StopException();
        }
    }

    private void SetVar(string name, object? value)
    {
        for (int i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name)
            {
                _vars[i] = (name, value);
                return;
            }
        }

        throw new GoTemplateException(0, $"undefined variable: {name}");
    }

    private object? VarValue(GoNode node, string name)
    {
        for (int i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name)
            {
                return _vars[i].Value;
            }
        }

        throw Error(node, $"undefined variable: {name}");
    }
}
