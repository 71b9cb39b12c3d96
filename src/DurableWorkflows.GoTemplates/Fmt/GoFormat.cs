using System.Globalization;
using System.Text;

namespace DurableWorkflows.GoTemplates.Fmt;

/// <summary>Go's <c>fmt</c> printing rules (<c>%v</c>, <c>Sprint</c>, <c>Sprintln</c>, <c>Sprintf</c>) over the value model.</summary>
internal static partial class GoFormat
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>What an action prints: Go's <c>printValue</c> (a nil interface is <c>&lt;no value&gt;</c>).</summary>
    public static string PrintAction(object? v) => v switch
    {
        null => "<no value>",
        string s => s,
        GoPointer p => PrintAction(p.Target),
        _ => Sprint([v]),
    };

    /// <summary><c>fmt.Sprint</c>: spaces between operands when neither side is a string.</summary>
    public static string Sprint(IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < args.Count; i++)
        {
            if (i > 0 && args[i] is not string && args[i - 1] is not string)
            {
                sb.Append(' ');
            }

            Format(sb, args[i], PlainV, 0);
        }

        return sb.ToString();
    }

    private static readonly Spec PlainV = new('v');

    /// <summary><c>fmt.Sprintln</c>: spaces always, then a newline.</summary>
    public static string Sprintln(IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < args.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            Format(sb, args[i], new Spec('v'), 0);
        }

        return sb.Append('\n').ToString();
    }

    /// <summary>The <c>%v</c> text of a value.</summary>
    public static string ToText(object? v)
    {
        var sb = new StringBuilder();
        Format(sb, v, new Spec('v'), 0);
        return sb.ToString();
    }

    private sealed class Spec(char verb)
    {
        public char Verb { get; set; } = verb;
        public bool Minus { get; set; }
        public bool Plus { get; set; }
        public bool Sharp { get; set; }
        public bool Space { get; set; }
        public bool Zero { get; set; }
        public int Width { get; set; } = -1;
        public int Precision { get; set; } = -1;

        /// <summary><c>%+v</c>: struct field names, and no sign flag for what it prints (Go's <c>plusV</c>).</summary>
        public bool PlusV { get; set; }

        /// <summary>The same flags, width and precision for another verb (Go's bad-verb text keeps them).</summary>
        public Spec As(char verb) => new(verb) { Minus = Minus, Plus = Plus, Sharp = Sharp, Space = Space, Zero = Zero, Width = Width, Precision = Precision, PlusV = PlusV };
    }
}
