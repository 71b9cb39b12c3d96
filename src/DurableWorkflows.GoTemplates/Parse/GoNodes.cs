namespace DurableWorkflows.GoTemplates.Parse;

/// <summary>A node of a parsed template. <see cref="Pos"/> is the node's offset in the template,
/// <see cref="End"/> the offset after it; <see cref="ActionPos"/> the offset of the <c>{{</c> of its action.</summary>
internal abstract record GoNode(int Pos, int End, int ActionPos);

internal sealed record TextNode(int Pos, string Text) : GoNode(Pos, Pos + Text.Length, Pos);

internal sealed record ListNode(IReadOnlyList<GoNode> Nodes) : GoNode(0, 0, 0);

internal sealed record ActionNode(int Pos, int End, int ActionPos, PipeNode Pipe) : GoNode(Pos, End, ActionPos);

/// <summary><c>if</c> and <c>with</c> (<see cref="IsWith"/>); <c>else if</c> / <c>else with</c> nest in the else list.</summary>
internal sealed record BranchNode(int Pos, int End, int ActionPos, bool IsWith, PipeNode Pipe, ListNode List, ListNode? ElseList)
    : GoNode(Pos, End, ActionPos);

internal sealed record RangeNode(int Pos, int End, int ActionPos, PipeNode Pipe, ListNode List, ListNode? ElseList)
    : GoNode(Pos, End, ActionPos);

/// <summary><c>{{template "name" pipeline}}</c>, also what a <c>{{block}}</c> leaves in place.</summary>
internal sealed record TemplateNode(int Pos, int End, int ActionPos, string Name, PipeNode? Pipe) : GoNode(Pos, End, ActionPos);

internal sealed record BreakNode(int Pos, int End, int ActionPos) : GoNode(Pos, End, ActionPos);

internal sealed record ContinueNode(int Pos, int End, int ActionPos) : GoNode(Pos, End, ActionPos);

/// <summary>A pipeline: optional declarations (<c>$x :=</c>, or <c>$x =</c> when <see cref="IsAssign"/>), then commands.</summary>
internal sealed record PipeNode(int Pos, int End, int ActionPos, bool IsAssign, IReadOnlyList<VariableNode> Decl, IReadOnlyList<CommandNode> Commands)
    : GoNode(Pos, End, ActionPos);

internal sealed record CommandNode(int Pos, int End, int ActionPos, IReadOnlyList<GoNode> Args) : GoNode(Pos, End, ActionPos);

/// <summary><c>.A.B.C</c>.</summary>
internal sealed record FieldNode(int Pos, int End, int ActionPos, string[] Ident) : GoNode(Pos, End, ActionPos);

/// <summary><c>$x.A.B</c>; <c>Ident[0]</c> is the variable's name with its <c>$</c>.</summary>
internal sealed record VariableNode(int Pos, int End, int ActionPos, string[] Ident) : GoNode(Pos, End, ActionPos);

/// <summary><c>(pipeline).A.B</c>.</summary>
internal sealed record ChainNode(int Pos, int End, int ActionPos, GoNode Node, string[] Field) : GoNode(Pos, End, ActionPos);

/// <summary>A function name.</summary>
internal sealed record IdentifierNode(int Pos, int End, int ActionPos, string Name) : GoNode(Pos, End, ActionPos);

/// <summary>Extension: a dot-less name that is not a function reads the top-level variable of that name.</summary>
internal sealed record BareNameNode(int Pos, int End, int ActionPos, string Name) : GoNode(Pos, End, ActionPos);

internal sealed record DotNode(int Pos, int End, int ActionPos) : GoNode(Pos, End, ActionPos);

internal sealed record NilNode(int Pos, int End, int ActionPos) : GoNode(Pos, End, ActionPos);

internal sealed record BoolNode(int Pos, int End, int ActionPos, bool Value) : GoNode(Pos, End, ActionPos);

internal sealed record StringNode(int Pos, int End, int ActionPos, string Value) : GoNode(Pos, End, ActionPos);

/// <summary>A number constant and the Go types it can be: int (<see cref="IsInt"/>) and/or float64.</summary>
internal sealed record NumberNode(int Pos, int End, int ActionPos, string Text, bool IsInt, long Int, bool IsFloat, double Float, bool IsChar)
    : GoNode(Pos, End, ActionPos);
