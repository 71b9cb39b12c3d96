using System.Globalization;
using System.Text;

namespace DurableWorkflows.GoTemplates.Fmt;

/// <summary>Floats under <c>%e %f %g %v</c>: strconv's shortest and rounded digits.</summary>
internal static partial class GoFormat
{
    private static void FormatFloat(StringBuilder sb, double d, Spec spec)
    {
        string text;
        switch (spec.Verb)
        {
            case 'v' or 'g' or 'G':
                text = FormatG(d, spec.Precision, spec.Sharp);
                if (spec.Verb == 'G')
                {
                    text = text.ToUpperInvariant();
                }

                break;
            case 'f' or 'F':
                text = double.IsFinite(d) ? d.ToString("F" + (spec.Precision < 0 ? 6 : spec.Precision), Inv) : Special(d);
                break;
            case 'e' or 'E':
                text = double.IsFinite(d) ? FormatE(d, spec.Precision < 0 ? 6 : spec.Precision) : Special(d);
                if (spec.Verb == 'E')
                {
                    text = text.ToUpperInvariant();
                }

                break;
            case 'x' or 'X':
                text = double.IsFinite(d) ? HexFloat(d) : Special(d);
                if (spec.Verb == 'X')
                {
                    text = text.ToUpperInvariant();
                }

                break;
            default:
                BadVerb(sb, d, spec);
                return;
        }

        if (double.IsFinite(d) && d == 0 && double.IsNegative(d) && !text.StartsWith('-'))
        {
            text = "-" + text;
        }

        if (!text.StartsWith('-') && !text.StartsWith('+'))
        {
            if (spec.Plus)
            {
                text = "+" + text;
            }
            else if (spec.Space)
            {
                text = " " + text;
            }
        }
        else if (text.StartsWith('+') && !spec.Plus)
        {
            text = text[1..];
        }

        if (!double.IsFinite(d))
        {
            Pad(sb, text, new Spec(spec.Verb) { Minus = spec.Minus, Width = spec.Width });
            return;
        }

        PadNumber(sb, text, spec);
    }

    private static string Special(double d) => double.IsNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf";

    /// <summary>Go's <c>%e</c>: <c>d.dddddde±XX</c>, at least two exponent digits.</summary>
    private static string FormatE(double d, int precision)
    {
        string s = d.ToString("E" + precision, Inv);
        int e = s.IndexOf('E', StringComparison.Ordinal);
        string mantissa = s[..e];
        int exp = int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, Inv);
        return mantissa + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", Inv);
    }

    /// <summary>Go's <c>%g</c> (and <c>%v</c>): the shortest digits (or <paramref name="precision"/> significant
    /// ones), in exponent form when the exponent is below -4 or at least the precision (6 for the shortest form).</summary>
    public static string FormatG(double d, int precision = -1, bool sharp = false)
    {
        if (!double.IsFinite(d))
        {
            return Special(d);
        }

        if (d == 0)
        {
            return double.IsNegative(d) ? "-0" : "0";
        }

        (string digits, int pointPos) = precision < 0 ? ShortestDigits(d) : RoundedDigits(d, precision == 0 ? 1 : precision);
        string sign = d < 0 ? "-" : "";
        if (!sharp)
        {
            digits = digits.TrimEnd('0');
            if (digits.Length == 0)
            {
                digits = "0";
            }
        }

        int exp = pointPos - 1;
        int eprec;
        if (precision < 0)
        {
            eprec = 6;
        }
        else
        {
            eprec = precision == 0 ? 1 : precision;
            if (eprec > digits.Length && digits.Length >= pointPos)
            {
                eprec = digits.Length;
            }
        }

        if (exp < -4 || exp >= eprec)
        {
            string mant = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
            return sign + mant + "e" + (exp < 0 ? "-" : "+") + Math.Abs(exp).ToString("00", Inv);
        }

        if (pointPos <= 0)
        {
            return sign + "0." + new string('0', -pointPos) + digits;
        }

        if (pointPos >= digits.Length)
        {
            return sign + digits + new string('0', pointPos - digits.Length);
        }

        return sign + digits[..pointPos] + "." + digits[pointPos..];
    }

    /// <summary>The shortest digits that round-trip, and where the decimal point goes (0.DIGITS × 10^pointPos).</summary>
    private static (string Digits, int PointPos) ShortestDigits(double d) => SplitE(Math.Abs(d).ToString("E16", Inv), Math.Abs(d).ToString("R", Inv));

    private static (string Digits, int PointPos) RoundedDigits(double d, int significant)
    {
        string e = Math.Abs(d).ToString("E" + (significant - 1), Inv);
        return SplitE(e, null);
    }

    private static (string Digits, int PointPos) SplitE(string eForm, string? roundTrip)
    {
        if (roundTrip is not null)
        {
            // "R" gives the shortest round-trip digits, in plain or exponent form.
            int ei = roundTrip.IndexOfAny(['E', 'e']);
            string mantissa = ei < 0 ? roundTrip : roundTrip[..ei];
            int exp10 = ei < 0 ? 0 : int.Parse(roundTrip.AsSpan(ei + 1), NumberStyles.AllowLeadingSign, Inv);
            int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
            string intPart = dot < 0 ? mantissa : mantissa[..dot];
            string frac = dot < 0 ? "" : mantissa[(dot + 1)..];
            string all = intPart + frac;
            int point = intPart.Length + exp10;
            int lead = 0;
            while (lead < all.Length - 1 && all[lead] == '0')
            {
                lead++;
            }

            all = all[lead..];
            point -= lead;
            all = all.TrimEnd('0');
            return (all.Length == 0 ? "0" : all, point);
        }

        int e = eForm.IndexOf('E', StringComparison.Ordinal);
        string m = eForm[..e].Replace(".", "", StringComparison.Ordinal);
        int x = int.Parse(eForm.AsSpan(e + 1), NumberStyles.AllowLeadingSign, Inv);
        return (m, x + 1);
    }

    /// <summary>strconv's <c>'x'</c> format with the shortest precision: <c>0x1.cp+01</c>, <c>0x0p+00</c>.</summary>
    private static string HexFloat(double d)
    {
        long bits = BitConverter.DoubleToInt64Bits(d);
        string sign = bits < 0 ? "-" : "";
        int exp = (int)((bits >> 52) & 0x7FF);
        long mant = bits & ((1L << 52) - 1);
        if (exp == 0 && mant == 0)
        {
            return sign + "0x0p+00";
        }

        if (exp == 0)
        {
            exp = 1;
            while ((mant & (1L << 52)) == 0)
            {
                mant <<= 1;
                exp--;
            }

            mant &= (1L << 52) - 1;
        }

        int e = exp - 1023;
        string fraction = mant.ToString("x13", Inv).TrimEnd('0');
        string exponent = (e < 0 ? "-" : "+") + Math.Abs(e).ToString("00", Inv);
        return sign + "0x1" + (fraction.Length > 0 ? "." + fraction : "") + "p" + exponent;
    }
}
