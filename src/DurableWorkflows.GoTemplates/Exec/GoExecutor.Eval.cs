using System.Collections;

namespace DurableWorkflows.GoTemplates.Exec;

/// <summary>Pipelines, commands, fields, variables and function calls (exec.go: evalPipeline, evalCommand, evalField, evalCall).</summary>
internal sealed partial class GoExecutor
{
    private object? EvalPipeline(object? dot, PipeNode pipe)
    {
        object? value = Missing;
        foreach (CommandNode cmd in pipe.Commands)
        {
            value = EvalCommand(dot, cmd, value);
        }

        foreach (VariableNode variable in pipe.Decl)
        {
            if (pipe.IsAssign)
            {
                SetVar(variable.Ident[0], value);
            }
            else
            {
                _vars.Add((variable.Ident[0], value));
            }
        }

        return value;
    }

    private object? EvalCommand(object? dot, CommandNode cmd, object? final)
    {
        GoNode first = cmd.Args[0];
        switch (first)
        {
            case FieldNode field:
                return EvalFieldChain(dot, dot, field, field.Ident, cmd.Args, final);
            case ChainNode chain:
                return EvalChain(dot, chain, cmd.Args, final);
            case IdentifierNode id:
                return EvalCall(dot, _funcs[id.Name], cmd, cmd.Args, final);
            case BareNameNode bare:
                return EvalBareName(bare, cmd.Args, final);
            case PipeNode pipe:
                NotAFunction(first, cmd.Args, final);
                return EvalPipeline(dot, pipe);
            case VariableNode variable:
                return EvalVariable(dot, variable, cmd.Args, final);
        }

        NotAFunction(first, cmd.Args, final);
        return first switch
        {
            BoolNode b => b.Value,
            DotNode => dot,
            NilNode => throw Error(first, "nil is not a command"),
            NumberNode n => IdealConstant(n),
            StringNode s => s.Value,
            _ => throw Error(first, "can't evaluate command"),
        };
    }

    private void NotAFunction(GoNode node, IReadOnlyList<GoNode> args, object? final)
    {
        if (args.Count > 1 || final != Missing)
        {
            throw Error(node, "can't give argument to non-function");
        }
    }

    private object? IdealConstant(NumberNode n)
    {
        if (n.IsFloat && !n.IsChar && !n.Text.Contains("0x", StringComparison.OrdinalIgnoreCase) && n.Text.IndexOfAny(['.', 'e', 'E']) >= 0)
        {
            return n.Float;
        }

        if (n.IsInt)
        {
            return n.Int;
        }

        throw Error(n, $"{n.Text} is not an integer");
    }

    private object? EvalBareName(BareNameNode bare, IReadOnlyList<GoNode> args, object? final)
    {
        if (args.Count > 1 || final != Missing)
        {
            throw Error(bare, $"function \"{bare.Name}\" not defined");
        }

        if (_root is IDictionary map && map.Contains(bare.Name))
        {
            return map[bare.Name];
        }

        throw Error(bare, $"missing variable \"{bare.Name}\" (and no function of that name)");
    }

    private object? EvalChain(object? dot, ChainNode chain, IReadOnlyList<GoNode> args, object? final)
    {
        if (chain.Node is NilNode)
        {
            throw Error(chain, "indirection through explicit nil");
        }

        object? receiver = EvalArg(dot, ParamType.Any, chain.Node);
        return EvalFieldChain(dot, receiver, chain, chain.Field, args, final);
    }

    private object? EvalVariable(object? dot, VariableNode variable, IReadOnlyList<GoNode> args, object? final)
    {
        object? value = VarValue(variable, variable.Ident[0]);
        if (variable.Ident.Length == 1)
        {
            NotAFunction(variable, args, final);
            return value;
        }

        return EvalFieldChain(dot, value, variable, variable.Ident[1..], args, final);
    }

    private object? EvalFieldChain(object? dot, object? receiver, GoNode node, string[] ident, IReadOnlyList<GoNode> args, object? final)
    {
        int n = ident.Length;
        for (int i = 0; i < n - 1; i++)
        {
            receiver = EvalFieldOrMethod(dot, ident[i], node, [node], Missing, receiver);
        }

        return EvalFieldOrMethod(dot, ident[n - 1], node, args, final, receiver);
    }

    /// <summary>A method of the receiver when it has one of that name (Go looks for methods first), else a field or key.</summary>
    private object? EvalFieldOrMethod(object? dot, string name, GoNode node, IReadOnlyList<GoNode> args, object? final, object? receiver) =>
        receiver is IGoMethods methods && methods.Method(name) is { } method
            ? EvalCall(dot, method, node, args, final)
            : EvalField(name, node, args.Count > 1 || final != Missing, receiver);

    private object? EvalField(string fieldName, GoNode node, bool hasArgs, object? receiver)
    {
        object? original = receiver;
        if (receiver is GoPointer p)
        {
            receiver = p.Target;
        }

        switch (receiver)
        {
            case null:
                throw Error(node, $"nil pointer evaluating interface {{}}.{fieldName}");
            case GoNil nil:
                throw Error(node, $"nil pointer evaluating {nil.TypeName}.{fieldName}");
            case IDictionary map:
                if (hasArgs)
                {
                    throw Error(node, $"{fieldName} is not a method but has arguments");
                }

                if (map.Contains(fieldName))
                {
                    return map[fieldName];
                }

                switch (_options.MissingKey)
                {
                    case MissingKey.Default:
                        return null;
                    case MissingKey.Zero:
                        return GoValues.MapZero(map);
                }

                throw Error(node, ReferenceEquals(map, _root)
                    ? $"missing variable \"{fieldName}\""
                    : $"map has no entry for key \"{fieldName}\"");
        }

        if (GoValues.TryGetField(receiver, fieldName, out object? value))
        {
            if (hasArgs)
            {
                throw Error(node, $"{fieldName} has arguments but cannot be invoked as function");
            }

            return value;
        }

        throw Error(node, $"can't evaluate field {fieldName} in type {GoValues.TypeName(original)}");
    }

    private object? EvalCall(object? dot, GoFunction fn, GoNode errorNode, IReadOnlyList<GoNode> args, object? final)
    {
        int argCount = args.Count - 1;
        int numIn = argCount + (final != Missing ? 1 : 0);
        int numFixed = fn.Params.Length;
        if (fn.Variadic is not null)
        {
            if (numIn < numFixed)
            {
                throw Error(errorNode, $"wrong number of args for {fn.Name}: want at least {numFixed} got {numIn}");
            }
        }
        else if (numIn != numFixed)
        {
            throw Error(errorNode, $"wrong number of args for {fn.Name}: want {numFixed} got {numIn}");
        }

        if (fn.Lazy)
        {
            object? v = null;
            for (int i = 1; i < args.Count; i++)
            {
                v = EvalArg(dot, ParamType.Value, args[i]);
                if (GoValues.IsTrue(v) == (fn.Name == "or"))
                {
                    return v;
                }
            }

            if (final != Missing)
            {
                v = final;
            }

            return v;
        }

        object?[] argv = new object?[numIn];
        for (int i = 0; i < argCount; i++)
        {
            ParamType type = i < numFixed ? fn.Params[i] : fn.Variadic!.Value;
            argv[i] = EvalArg(dot, type, args[i + 1]);
        }

        if (final != Missing)
        {
            ParamType type = numIn - 1 < numFixed ? fn.Params[numIn - 1] : fn.Variadic!.Value;
            argv[numIn - 1] = ValidateType(errorNode, final, type);
        }

        try
        {
            return fn.Invoke(argv);
        }
        catch (GoCallException e)
        {
            throw Error(errorNode, $"error calling {fn.Name}: {e.Message}");
        }
        catch (Exception e) when (e is not (GoTemplateException or StopException or OutOfMemoryException))
        {
            // Go's call recovers a function's panic into an error: so does this one (a library's exception included).
            throw Error(errorNode, $"error calling {fn.Name}: {e.Message}");
        }
    }

    private object? EvalArg(object? dot, ParamType type, GoNode node)
    {
        switch (node)
        {
            case DotNode:
                return ValidateType(node, dot, type);
            case NilNode:
                if (type is ParamType.Any or ParamType.Map)
                {
                    return null;
                }

                throw Error(node, $"cannot assign nil to {TypeText(type)}");
            case FieldNode field:
                return ValidateType(node, EvalFieldChain(dot, dot, field, field.Ident, [node], Missing), type);
            case VariableNode variable:
                return ValidateType(node, EvalVariable(dot, variable, [node], Missing), type);
            case PipeNode pipe:
                return ValidateType(node, EvalPipeline(dot, pipe), type);
            case IdentifierNode id:
                return ValidateType(node, EvalCall(dot, _funcs[id.Name], id, [id], Missing), type);
            case BareNameNode bare:
                return ValidateType(node, EvalBareName(bare, [bare], Missing), type);
            case ChainNode chain:
                return ValidateType(node, EvalChain(dot, chain, [node], Missing), type);
        }

        switch (type)
        {
            case ParamType.Bool:
                return node is BoolNode b ? b.Value : throw Error(node, $"expected bool; found {NodeText(node)}");
            case ParamType.Int:
                return node is NumberNode { IsInt: true } n ? n.Int : throw Error(node, $"expected integer; found {NodeText(node)}");
            case ParamType.String:
                return node is StringNode s ? s.Value : throw Error(node, $"expected string; found {NodeText(node)}");
            case ParamType.Float:
                return node is NumberNode { IsFloat: true } f ? f.Float : throw Error(node, $"expected float; found {NodeText(node)}");
            case ParamType.Map:
                throw Error(node, $"can't handle {NodeText(node)} for arg of type {TypeText(type)}");
            case ParamType.Uint32:
                // Go sets the constant into a uint32 as reflect's SetUint does: past 32 bits it wraps.
                return node is NumberNode { IsInt: true, Int: >= 0 } u ? (long)(uint)u.Int : throw Error(node, $"expected unsigned integer; found {NodeText(node)}");
        }

        return node switch
        {
            BoolNode b => b.Value,
            NumberNode n => IdealConstant(n),
            StringNode s => s.Value,
            _ => throw Error(node, "can't handle argument"),
        };
    }

    private string NodeText(GoNode node) => _source[Math.Min(node.Pos, _source.Length)..Math.Min(node.End, _source.Length)];

    private static string TypeText(ParamType type) => type switch
    {
        ParamType.Value => "reflect.Value",
        ParamType.String => "string",
        ParamType.Int => "int",
        ParamType.Bool => "bool",
        ParamType.Float => "float64",
        ParamType.Map => "map[string]interface {}",
        ParamType.Uint32 => "uint32",
        _ => "interface {}",
    };

    private object? ValidateType(GoNode node, object? value, ParamType type)
    {
        switch (type)
        {
            case ParamType.Any or ParamType.Value:
                return value;
            case ParamType.String when value is string:
            case ParamType.Int when value is long:
            case ParamType.Bool when value is bool:
            case ParamType.Float when value is double:
            case ParamType.Map when value is Dictionary<string, object?>:
                return value;
            case ParamType.Map when value is null && node is PipeNode:
                // Go unwraps a pipeline's interface result: its nil is the nil map.
                return null;
        }

        if (value is GoPointer p)
        {
            return ValidateType(node, p.Target, type);
        }

        if (value is GoNil nil && nil.TypeName == "*" + TypeText(type))
        {
            throw Error(node, $"dereference of nil pointer of type {TypeText(type)}");
        }

        throw Error(node, $"wrong type for value; expected {TypeText(type)}; got {(value is null ? "interface {}" : GoValues.TypeName(value))}");
    }
}
