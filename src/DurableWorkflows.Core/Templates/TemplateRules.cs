using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DurableWorkflows.Core.Templates;

/// <summary>The value rules of the template language, each a pure function returning an error message or null.</summary>
public static partial class TemplateRules
{
    /// <summary>Tinkerbell: names are non-empty and shorter than 200 characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Longer image references are rejected before the grammar is matched.</summary>
    public const int MaxImageReferenceLength = 600;

    /// <summary>Tinkerbell's name rule for <paramref name="what"/> (e.g. "task name").</summary>
    public static string? CheckName(string what, string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return $"{what} cannot be empty";
        }

        return name.Length >= MaxNameLength
            ? $"{what} must be shorter than {MaxNameLength} characters (it has {name.Length})"
            : null;
    }

    /// <summary>Docker's reference grammar (distribution/reference) as <c>ParseNormalizedNamed</c> applies it:
    /// <c>[domain[:port]/]path[:tag][@digest]</c>, lowercase repository, at most 255 characters of name.</summary>
    public static string? CheckImageReference(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return "image cannot be empty";
        }

        // Bounds the regex's work: a name is at most 255 characters, a tag 128, a digest algorithm:hex well under 200.
        if (image.Length > MaxImageReferenceLength)
        {
            return $"invalid image '{image[..40]}...': longer than {MaxImageReferenceLength} characters";
        }

        if (AnonymousIdRegex().IsMatch(image))
        {
            return $"invalid image '{image}': a 64-character hexadecimal image id is not a repository name";
        }

        // splitDockerDomain: the first component is a registry only if it has '.' or ':', is localhost, or has capitals.
        int slash = image.IndexOf('/', StringComparison.Ordinal);
        string remainder = image;
        if (slash >= 0)
        {
            string first = image[..slash];
            bool isDomain = first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal)
                || first == "localhost" || !string.Equals(first.ToLowerInvariant(), first, StringComparison.Ordinal);
            if (isDomain)
            {
                remainder = image[(slash + 1)..];
            }
        }

        int at = remainder.IndexOf('@', StringComparison.Ordinal);
        string withoutDigest = at >= 0 ? remainder[..at] : remainder;
        int colon = withoutDigest.IndexOf(':', StringComparison.Ordinal);
        string repository = colon >= 0 ? withoutDigest[..colon] : withoutDigest;
        if (!string.Equals(repository.ToLowerInvariant(), repository, StringComparison.Ordinal))
        {
            return $"invalid image '{image}': repository name '{repository}' must be lowercase";
        }

        var match = ReferenceRegex().Match(image);
        if (!match.Success)
        {
            return $"invalid image '{image}': not a valid Docker image reference ([registry/]repository[:tag][@digest])";
        }

        return match.Groups["name"].Length > 255
            ? $"invalid image '{image}': repository name must not be longer than 255 characters"
            : null;
    }

    /// <summary>Go's duration syntax (<c>1s</c>, <c>1m30s</c>, <c>500ms</c>, <c>1.5h</c>; units ns, us, µs, ms, s, m, h).</summary>
    public static bool TryParseDuration(string? text, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "a duration cannot be empty (e.g. 30s, 1m30s, 500ms)";
            return false;
        }

        if (text == "0")
        {
            return true;
        }

        if (text.All(char.IsAsciiDigit))
        {
            error = $"duration '{text}' has no unit (e.g. {text}s)";
            return false;
        }

        decimal ticks = 0;
        int i = 0;
        while (i < text.Length)
        {
            int start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (!decimal.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal number))
            {
                error = $"invalid duration '{text}' (e.g. 30s, 1m30s, 500ms)";
                return false;
            }

            int unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]) && text[i] != '.')
            {
                i++;
            }

            decimal? unit = text[unitStart..i] switch
            {
                "ns" => 0.01m,
                "us" or "µs" or "μs" => 10m,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                _ => null,
            };
            if (unit is null)
            {
                error = unitStart == i
                    ? $"duration '{text}' has a number without a unit (e.g. 30s, 1m30s, 500ms)"
                    : $"duration '{text}' has an unknown unit '{text[unitStart..i]}' (use ns, us, ms, s, m or h)";
                return false;
            }

            ticks += number * unit.Value;
            if (ticks > TimeSpan.MaxValue.Ticks)
            {
                error = $"duration '{text}' is too long";
                return false;
            }
        }

        duration = TimeSpan.FromTicks((long)ticks);
        return true;
    }

    /// <summary>Go's rendering of a duration (<c>1m30s</c>, <c>500ms</c>, <c>0s</c>), which <see cref="TryParseDuration"/> reads back.</summary>
    public static string FormatDuration(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        if (duration < TimeSpan.FromSeconds(1))
        {
            return duration.Ticks % TimeSpan.TicksPerMillisecond == 0
                ? $"{duration.Ticks / TimeSpan.TicksPerMillisecond}ms"
                : string.Create(CultureInfo.InvariantCulture, $"{duration.Ticks / 10m}us");
        }

        var sb = new StringBuilder();
        long hours = (long)duration.TotalHours;
        if (hours > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (hours > 0 || duration.Minutes > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{duration.Minutes}m");
        }

        decimal seconds = (duration.Ticks % TimeSpan.TicksPerMinute) / (decimal)TimeSpan.TicksPerSecond;
        sb.Append(seconds.ToString("0.#######", CultureInfo.InvariantCulture)).Append('s');
        return sb.ToString();
    }

    /// <summary><c>no</c>, <c>on-failure</c> (3 restarts) or <c>on-failure:N</c> (N a positive integer).</summary>
    public static bool TryParseRestart(string? text, out RestartPolicy policy, out string? error)
    {
        policy = RestartPolicy.Default;
        error = null;
        switch (text)
        {
            case "no":
                policy = RestartPolicy.No;
                return true;
            case "on-failure":
                return true;
        }

        if (text is not null && text.StartsWith("on-failure:", StringComparison.Ordinal))
        {
            string n = text["on-failure:".Length..];
            if (n.All(char.IsAsciiDigit) && int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int max) && max > 0)
            {
                policy = new RestartPolicy(RestartMode.OnFailure, max);
                return true;
            }

            error = $"restart '{text}': the number of restarts must be a positive integer (e.g. on-failure:5)";
            return false;
        }

        error = $"restart must be 'no', 'on-failure' or 'on-failure:N', not '{text}'";
        return false;
    }

    /// <summary>A positive integer written in decimal digits.</summary>
    public static bool TryParsePositiveInt(string? text, out int value) =>
        TryParseNonNegativeInt(text, out value) && value > 0;

    /// <summary>A non-negative integer written in decimal digits.</summary>
    public static bool TryParseNonNegativeInt(string? text, out int value)
    {
        value = 0;
        return !string.IsNullOrEmpty(text) && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Splits a command string as a POSIX shell does words (quotes and backslashes), as docker compose does.</summary>
    public static bool TrySplitCommand(string text, out IReadOnlyList<string> words, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        error = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (quote == '"')
            {
                if (c == '"')
                {
                    quote = '\0';
                }
                else if (c == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                {
                    word.Append(text[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    result.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                inWord = true;
                if (c is '\'' or '"')
                {
                    quote = c;
                }
                else if (c == '\\' && i + 1 < text.Length)
                {
                    word.Append(text[++i]);
                }
                else
                {
                    word.Append(c);
                }
            }
        }

        if (quote != '\0')
        {
            words = [];
            error = $"unterminated {(quote == '"' ? "double" : "single")} quote in command '{text}'";
            return false;
        }

        if (inWord)
        {
            result.Add(word.ToString());
        }

        words = result;
        return true;
    }

    /// <summary>The known key closest to <paramref name="key"/> (case-insensitive edit distance), if close enough to be a typo.</summary>
    public static string? DidYouMean(string key, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(known);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in known)
        {
            int d = Levenshtein(key.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                best = candidate;
                bestDistance = d;
            }
        }

        int allowed = Math.Max(2, Math.Min(key.Length, best?.Length ?? 0) / 3);
        return best is not null && bestDistance <= allowed ? best : null;
    }

    /// <summary>The edit distance (insertions, deletions, substitutions) between two strings.</summary>
    public static int Levenshtein(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    [GeneratedRegex(@"^[a-f0-9]{64}\z")]
    private static partial Regex AnonymousIdRegex();

    [GeneratedRegex(
        @"^(?<name>(?:(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex ReferenceRegex();
}
