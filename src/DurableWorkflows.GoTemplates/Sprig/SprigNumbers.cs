using System.Globalization;
using static DurableWorkflows.GoTemplates.Sprig.SprigValues;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>sprig's arithmetic (numeric.go, functions.go): integers through cast's <c>ToInt64</c>, floats through decimals as sprig's <c>…f</c> do.</summary>
internal static class SprigNumbers
{
    private static readonly ParamType[] OneAny = [ParamType.Any];
    private static readonly ParamType[] TwoAny = [ParamType.Any, ParamType.Any];

    public static IEnumerable<GoFunction> Functions()
    {
        yield return new GoFunction("atoi", [ParamType.String], null, a => long.TryParse((string)a[0]!, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long i) ? i : 0L);
        yield return new GoFunction("int64", OneAny, null, a => new GoInt64(ToInt64(a[0])));
        yield return new GoFunction("int", OneAny, null, a => ToInt64(a[0]));
        yield return new GoFunction("float64", OneAny, null, a => ToFloat64(a[0]));
        yield return new GoFunction("toDecimal", OneAny, null, a => new GoInt64(ParseOctal(GoFormat.ToText(a[0]))));
        yield return new GoFunction("add1", OneAny, null, a => new GoInt64(ToInt64(a[0]) + 1));
        yield return new GoFunction("add", [], ParamType.Any, a => new GoInt64(a.Aggregate(0L, (sum, v) => sum + ToInt64(v))));
        yield return new GoFunction("sub", TwoAny, null, a => new GoInt64(ToInt64(a[0]) - ToInt64(a[1])));
        yield return new GoFunction("div", TwoAny, null, a => new GoInt64(ToInt64(a[1]) == 0 ? throw DivideByZero() : ToInt64(a[0]) / ToInt64(a[1])));
        yield return new GoFunction("mod", TwoAny, null, a => new GoInt64(ToInt64(a[1]) == 0 ? throw DivideByZero() : ToInt64(a[0]) % ToInt64(a[1])));
        yield return new GoFunction("mul", OneAny, ParamType.Any, a => new GoInt64(a[1..].Aggregate(ToInt64(a[0]), (p, v) => p * ToInt64(v))));
        yield return new GoFunction("max", OneAny, ParamType.Any, a => new GoInt64(a[1..].Select(ToInt64).Aggregate(ToInt64(a[0]), Math.Max)));
        yield return new GoFunction("biggest", OneAny, ParamType.Any, a => new GoInt64(a[1..].Select(ToInt64).Aggregate(ToInt64(a[0]), Math.Max)));
        yield return new GoFunction("min", OneAny, ParamType.Any, a => new GoInt64(a[1..].Select(ToInt64).Aggregate(ToInt64(a[0]), Math.Min)));
        yield return new GoFunction("maxf", OneAny, ParamType.Any, a => a[1..].Select(ToFloat64).Aggregate(ToFloat64(a[0]), Math.Max));
        yield return new GoFunction("minf", OneAny, ParamType.Any, a => a[1..].Select(ToFloat64).Aggregate(ToFloat64(a[0]), Math.Min));
        yield return new GoFunction("add1f", OneAny, null, a => Decimal(0.0, [a[0], 1.0], (x, y) => x + y));
        yield return new GoFunction("addf", [], ParamType.Any, a => Decimal(0.0, a, (x, y) => x + y));
        yield return new GoFunction("subf", OneAny, ParamType.Any, a => Decimal(a[0], a[1..], (x, y) => x - y));
        yield return new GoFunction("mulf", OneAny, ParamType.Any, a => Decimal(a[0], a[1..], (x, y) => x * y));
        yield return new GoFunction("divf", OneAny, ParamType.Any, a => Decimal(a[0], a[1..], (x, y) => y == 0 ? throw new GoCallException("decimal division by 0") : Math.Round(x / y, 16, MidpointRounding.AwayFromZero)));
        yield return new GoFunction("ceil", OneAny, null, a => Math.Ceiling(ToFloat64(a[0])));
        yield return new GoFunction("floor", OneAny, null, a => Math.Floor(ToFloat64(a[0])));
        yield return new GoFunction("round", [ParamType.Any, ParamType.Int], ParamType.Float, a => Round(ToFloat64(a[0]), (long)a[1]!, a.Length > 2 ? (double)a[2]! : 0.5));
        yield return new GoFunction("until", [ParamType.Int], null, a => UntilStep(0, (long)a[0]!, (long)a[0]! < 0 ? -1 : 1));
        yield return new GoFunction("untilStep", [ParamType.Int, ParamType.Int, ParamType.Int], null, a => UntilStep((long)a[0]!, (long)a[1]!, (long)a[2]!));
        yield return new GoFunction("seq", [], ParamType.Int, a => Seq([.. a.Select(v => (long)v!)]));
    }

    private static GoCallException DivideByZero() => new("runtime error: integer divide by zero");

    private static long ParseOctal(string s)
    {
        long? v = s.Length > 0 && s.TrimStart('-', '+').All(c => c is >= '0' and <= '7') && s.TrimStart('-', '+').Length > 0
            ? SprigValues.ParseGoInt(s.StartsWith('-') ? "-0o" + s[1..] : "0o" + s.TrimStart('+'))
            : null;
        return v ?? 0;
    }

    /// <summary>sprig's <c>execDecimalOp</c>: each operand through shopspring's decimal (from its shortest float text; a quotient to its 16 places), the result back to float64.</summary>
    private static double Decimal(object? first, IEnumerable<object?> rest, Func<decimal, decimal, decimal> op)
    {
        decimal result = AsDecimal(ToFloat64(first));
        foreach (object? v in rest)
        {
            result = op(result, AsDecimal(ToFloat64(v)));
        }

        return (double)result;
    }

    private static decimal AsDecimal(double d) =>
        decimal.TryParse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal m) ? m : throw new GoCallException($"{d} is out of the decimal range");

    private static double Round(double value, long places, double roundOn)
    {
        double pow = Math.Pow(10, places);
        double digit = pow * value;
        double fraction = digit - Math.Truncate(digit);
        return (fraction >= roundOn ? Math.Ceiling(digit) : Math.Floor(digit)) / pow;
    }

    /// <summary>sprig's <c>untilStep</c>, as a Go <c>[]int</c>.</summary>
    private static List<long> UntilStep(long start, long stop, long step)
    {
        var v = new List<long>();
        if (step != 0)
        {
            SprigValues.Bound(Math.Abs(((double)stop - start) / step), SprigValues.MaxItems, "the list of numbers");
        }

        if (stop < start)
        {
            if (step >= 0)
            {
                return v;
            }

            for (long i = start; i > stop; i += step)
            {
                v.Add(i);
            }

            return v;
        }

        if (step <= 0)
        {
            return v;
        }

        for (long i = start; i < stop; i += step)
        {
            v.Add(i);
        }

        return v;
    }

    private static string Seq(long[] p)
    {
        List<long> values;
        switch (p.Length)
        {
            case 1:
                long increment = p[0] < 1 ? -1 : 1;
                values = UntilStep(1, p[0] + increment, increment);
                break;
            case 2:
                long step = p[1] < p[0] ? -1 : 1;
                values = UntilStep(p[0], p[1] + step, step);
                break;
            case 3:
                long inc = 1;
                if (p[2] < p[0])
                {
                    inc = -1;
                    if (p[1] > 0)
                    {
                        return "";
                    }
                }

                values = UntilStep(p[0], p[2] + inc, p[1]);
                break;
            default:
                return "";
        }

        return string.Join(" ", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
    }
}
