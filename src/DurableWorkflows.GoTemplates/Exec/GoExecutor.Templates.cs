using System.Runtime.CompilerServices;

namespace DurableWorkflows.GoTemplates.Exec;

/// <summary><c>{{template "name" pipeline}}</c> (exec.go: walkTemplate): the named template with the pipeline's value as dot and as <c>$</c>.</summary>
internal sealed partial class GoExecutor
{
    private int _templateDepth;

    private void WalkTemplate(TemplateNode call, object? dot)
    {
        if (!_templates.TryGetValue(call.Name, out ListNode? body))
        {
            AddError(Error(call, $"template \"{call.Name}\" not defined"));
            return;
        }

        object? value;
        try
        {
            value = call.Pipe is null ? null : EvalPipeline(dot, call.Pipe);
        }
        catch (GoTemplateException e)
        {
            AddError(e);
            return;
        }

        if (++_templateDepth > _limits.MaxTemplateDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            _errors.Add(Error(call, $"exceeded maximum template depth ({_limits.MaxTemplateDepth})"));
            throw new StopException();
        }

        CheckTime(call);
        // Its own "$" on top hides the caller's; the parser let the body name no other variable of the caller's.
        int mark = _vars.Count;
        _vars.Add(("$", value));
        try
        {
            WalkList(body, value);
        }
        finally
        {
            _vars.RemoveRange(mark, _vars.Count - mark);
            _templateDepth--;
        }
    }
}
