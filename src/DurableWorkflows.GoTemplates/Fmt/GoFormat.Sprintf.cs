using System.Collections;
using System.Globalization;
using System.Text;

namespace DurableWorkflows.GoTemplates.Fmt;

/// <summary><c>fmt.Sprintf</c>: the format string, its verbs and flags, and the value formatting they select.</summary>
internal static partial class GoFormat
{
    /// <summary><c>fmt.Sprintf</c> with the common verbs and flags, and Go's <c>%!</c> error forms.</summary>
    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder(format.Length + 16);
        int argNum = 0;
        int i = 0;
        while (i < format.Length)
        {
            char c = format[i];
            if (c != '%')
            {
                int next = format.IndexOf('%', i);
                if (next < 0)
                {
                    next = format.Length;
                }

                sb.Append(format, i, next - i);
                i = next;
                continue;
            }

            i++;
            var spec = new Spec('v');
            for (; i < format.Length; i++)
            {
                switch (format[i])
                {
                    case '#': spec.Sharp = true; continue;
                    case '0': spec.Zero = !spec.Minus; continue;
                    case '+': spec.Plus = true; continue;
                    case '-': spec.Minus = true; spec.Zero = false; continue;
                    case ' ': spec.Space = true; continue;
                }

                break;
            }

            if (i < format.Length && format[i] == '*')
            {
                i++;
                if (argNum < args.Count && GoValues.IsIntKind(args[argNum]))
                {
                    long w = GoValues.AsInt(args[argNum]!);
                    argNum++;
                    if (w < 0)
                    {
                        spec.Minus = true;
                        spec.Zero = false;
                        w = -w;
                    }

                    spec.Width = (int)Math.Min(w, 1_000_000);
                }
                else
                {
                    argNum += argNum < args.Count ? 1 : 0;
                    sb.Append("%!(BADWIDTH)");
                }
            }
            else
            {
                int start = i;
                while (i < format.Length && char.IsAsciiDigit(format[i]))
                {
                    i++;
                }

                if (i > start)
                {
                    spec.Width = ParseBounded(format.AsSpan(start, i - start));
                }
            }

            if (i < format.Length && format[i] == '.')
            {
                i++;
                if (i < format.Length && format[i] == '*')
                {
                    i++;
                    if (argNum < args.Count && GoValues.IsIntKind(args[argNum]) && GoValues.AsInt(args[argNum]!) >= 0)
                    {
                        spec.Precision = (int)Math.Min(GoValues.AsInt(args[argNum]!), 1_000_000);
                        argNum++;
                    }
                    else
                    {
                        argNum += argNum < args.Count ? 1 : 0;
                        sb.Append("%!(BADPREC)");
                    }
                }
                else
                {
                    int start = i;
                    while (i < format.Length && char.IsAsciiDigit(format[i]))
                    {
                        i++;
                    }

                    spec.Precision = ParseBounded(format.AsSpan(start, i - start));
                }
            }

            if (i >= format.Length)
            {
                sb.Append("%!(NOVERB)");
                break;
            }

            char verb = format[i];
            if (char.IsHighSurrogate(verb) && i + 1 < format.Length)
            {
                sb.Append("%!").Append(format, i, 2).Append("(NOVERB)");
                i += 2;
                continue;
            }

            i++;
            spec.Verb = verb;
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }

            if (argNum >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }

            object? arg = args[argNum++];
            if (verb == 'T')
            {
                Pad(sb, GoValues.TypeName(arg), spec);
                continue;
            }

            if (verb == 'v' && spec.Plus)
            {
                spec.Plus = false;
                spec.PlusV = true;
            }

            Format(sb, arg, spec, 0);
        }

        if (argNum < args.Count)
        {
            sb.Append("%!(EXTRA ");
            for (int k = argNum; k < args.Count; k++)
            {
                if (k > argNum)
                {
                    sb.Append(", ");
                }

                if (args[k] is null)
                {
                    sb.Append("<nil>");
                    continue;
                }

                sb.Append(GoValues.TypeName(args[k])).Append('=');
                Format(sb, args[k], new Spec('v'), 0);
            }

            sb.Append(')');
        }

        return sb.ToString();
    }

    private static int ParseBounded(ReadOnlySpan<char> digits)
    {
        if (digits.Length == 0)
        {
            return 0;
        }

        return digits.Length > 6 ? 1_000_000 : int.Parse(digits, NumberStyles.None, Inv);
    }

    private static void Format(StringBuilder sb, object? v, Spec spec, int depth)
    {
        if (depth > 64)
        {
            sb.Append("...");
            return;
        }

        switch (v)
        {
            case null:
                // A nil inside a list or map prints as <nil> whatever the verb; a nil argument only under %v.
                if (spec.Verb is 'v' || depth > 0)
                {
                    Pad(sb, "<nil>", spec);
                }
                else
                {
                    sb.Append("%!").Append(spec.Verb).Append("(<nil>)");
                }

                return;
            case bool b:
                if (spec.Verb is 't' or 'v')
                {
                    Pad(sb, b ? "true" : "false", spec);
                }
                else
                {
                    BadVerb(sb, v, spec);
                }

                return;
            case long or int or byte or GoInt64:
                FormatInteger(sb, v, spec);
                return;
            case double d:
                FormatFloat(sb, d, spec);
                return;
            case string s:
                FormatString(sb, s, spec, v);
                return;
            case GoNil:
                if (spec.Verb is 'v' or 'p')
                {
                    Pad(sb, "<nil>", spec);
                }
                else
                {
                    BadVerb(sb, v, spec);
                }

                return;
            case GoPointer p:
                if (depth == 0)
                {
                    Format(sb, p.Target, spec, depth + 1);
                }
                else
                {
                    sb.Append('&');
                    Format(sb, p.Target, spec, depth + 1);
                }

                return;
            case IDictionary map:
                sb.Append(spec.Sharp && spec.Verb == 'v' ? GoValues.TypeName(v) + "{" : "map[");
                bool firstEntry = true;
                foreach (string key in GoValues.SortedKeys(map))
                {
                    if (!firstEntry)
                    {
                        sb.Append(spec.Sharp && spec.Verb == 'v' ? ", " : " ");
                    }

                    firstEntry = false;
                    Format(sb, key, spec, depth + 1);
                    sb.Append(':');
                    Format(sb, map[key], spec, depth + 1);
                }

                sb.Append(spec.Sharp && spec.Verb == 'v' ? '}' : ']');
                return;
            case GoNilList when spec.Sharp && spec.Verb == 'v':
                sb.Append(GoValues.TypeName(v)).Append("(nil)");
                return;
            case IList list:
                if (spec.Sharp && spec.Verb == 'v')
                {
                    sb.Append(GoValues.TypeName(v)).Append('{');
                }
                else
                {
                    sb.Append('[');
                }

                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(spec.Sharp && spec.Verb == 'v' ? ", " : " ");
                    }

                    Format(sb, list[i], spec, depth + 1);
                }

                sb.Append(spec.Sharp && spec.Verb == 'v' ? '}' : ']');
                return;
        }

        if (v is IGoMethods && spec.Verb is 'v' or 's' or 'x' or 'X' or 'q' && !(spec.Sharp && spec.Verb == 'v'))
        {
            // Go's handleMethods: a Stringer prints as its String() under the string verbs.
            Format(sb, v.ToString() ?? "", spec, depth);
            return;
        }

        if (v is IGoMethods { StructFields: { } values } && depth == 0 && !spec.Sharp)
        {
            // Another verb prints the pointed-to struct's fields, each with that verb (Go's &{...}).
            sb.Append("&{");
            for (int i = 0; i < values.Count; i++)
            {
                sb.Append(i > 0 ? " " : "");
                Format(sb, values[i], spec, depth + 1);
            }

            sb.Append('}');
            return;
        }

        GoField[]? fields = GoValues.FieldsOf(v.GetType());
        if (fields is null)
        {
            Pad(sb, v.ToString() ?? "", spec);
            return;
        }

        if (depth > 0)
        {
            sb.Append('&');
        }

        sb.Append('{');
        for (int i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            if (spec.PlusV || spec.Sharp)
            {
                sb.Append(fields[i].Name).Append(':');
            }

            Format(sb, fields[i].Get(v), spec, depth + 1);
        }

        sb.Append('}');
    }

    private static void BadVerb(StringBuilder sb, object? v, Spec spec)
    {
        sb.Append("%!").Append(spec.Verb).Append('(').Append(GoValues.TypeName(v)).Append('=');
        Format(sb, v, spec.As('v'), 1);
        sb.Append(')');
    }

    private static void Pad(StringBuilder sb, string s, Spec spec)
    {
        if (spec.Width <= s.Length / 2)
        {
            // A string holds at least Length / 2 runes, so no padding is needed.
            sb.Append(s);
            return;
        }

        int len = s.EnumerateRunes().Count();
        if (spec.Width <= len)
        {
            sb.Append(s);
            return;
        }

        int pad = spec.Width - len;
        if (spec.Minus)
        {
            sb.Append(s).Append(' ', pad);
        }
        else
        {
            sb.Append(spec.Zero ? '0' : ' ', pad).Append(s);
        }
    }
}
