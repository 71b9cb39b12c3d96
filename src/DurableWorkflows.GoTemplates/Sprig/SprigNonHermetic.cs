using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>
/// sprig's non-hermetic functions (its <c>nonhermeticFunctions</c>): random strings, numbers and UUIDs, and the process
/// environment. A template that calls them renders differently on each start, as under tink. <c>env</c> and
/// <c>expandenv</c> would read the server's environment (its secrets): they fail unless <see cref="EnvironmentAllowed"/>.
/// </summary>
public static class SprigNonHermetic
{
    /// <summary>Whether <c>env</c> and <c>expandenv</c> read the process environment (off: they fail, naming the setting).</summary>
    public static bool EnvironmentAllowed { get; set; }

    /// <summary>The setting that allows them, as the error names it.</summary>
    public const string EnvironmentSetting = "DurableWorkflows:Templates:AllowEnvironment";

    internal static IEnumerable<GoFunction> Functions()
    {
        yield return new GoFunction("randAlphaNum", [ParamType.Int], null, a => Random((long)a[0]!, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"));
        yield return new GoFunction("randAlpha", [ParamType.Int], null, a => Random((long)a[0]!, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"));
        yield return new GoFunction("randNumeric", [ParamType.Int], null, a => Random((long)a[0]!, "0123456789"));
        yield return new GoFunction("randAscii", [ParamType.Int], null, a => Random((long)a[0]!, new string([.. Enumerable.Range(32, 95).Select(c => (char)c)])));
        yield return new GoFunction("randBytes", [ParamType.Int], null, a => Convert.ToBase64String(RandomNumberGenerator.GetBytes(Count((long)a[0]!))));
        yield return new GoFunction("randInt", [ParamType.Int, ParamType.Int], null, a => (long)a[1]! <= (long)a[0]!
            ? throw new GoCallException("invalid argument to Intn")
            : (long)a[0]! + System.Random.Shared.NextInt64((long)a[1]! - (long)a[0]!));
        yield return new GoFunction("uuidv4", [], null, _ => Guid.NewGuid().ToString());
        yield return new GoFunction("shuffle", [ParamType.String], null, a => Shuffle((string)a[0]!));
        yield return new GoFunction("env", [ParamType.String], null, a => Environment((string)a[0]!));
        yield return new GoFunction("expandenv", [ParamType.String], null, a => ExpandEnv((string)a[0]!));
    }

    private static int Count(long count)
    {
        SprigValues.Bound(count, SprigValues.MaxText, "the random text");
        return count < 0 ? throw new GoCallException("runtime error: makeslice: len out of range") : (int)count;
    }

    private static string Random(long count, string alphabet)
    {
        int n = Count(count);
        var sb = new StringBuilder(n);
        for (int i = 0; i < n; i++)
        {
            sb.Append(alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]);
        }

        return sb.ToString();
    }

    private static string Shuffle(string s)
    {
        string[] runes = [.. s.EnumerateRunes().Select(r => r.ToString())];
        System.Random.Shared.Shuffle(runes);
        return string.Concat(runes);
    }

    private static string Environment(string name) =>
        EnvironmentAllowed
            ? System.Environment.GetEnvironmentVariable(name) ?? ""
            : throw new GoCallException($"reading the server's environment is off (it may hold its secrets); {EnvironmentSetting}=true allows it");

    /// <summary>Go's <c>os.ExpandEnv</c>: <c>$NAME</c> and <c>${NAME}</c> replaced by the variable's value.</summary>
    private static string ExpandEnv(string s) =>
        Regex.Replace(s, @"\$(\{([^}]*)\}|[A-Za-z0-9_]+)", m => Environment(m.Groups[2].Success ? m.Groups[2].Value : m.Groups[1].Value));
}
