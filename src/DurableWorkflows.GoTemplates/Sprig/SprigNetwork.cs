using System.Collections;
using System.Net;
using System.Net.Sockets;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>sprig's URLs (url.go: <c>urlParse</c>, <c>urlJoin</c>), versions (semver.go) and <c>getHostByName</c> (network.go).</summary>
internal static class SprigNetwork
{
    private static readonly string[] UrlKeys = ["scheme", "host", "path", "query", "opaque", "fragment", "userinfo"];

    public static IEnumerable<GoFunction> Functions()
    {
        yield return new GoFunction("urlParse", [ParamType.String], null, a => UrlParse((string)a[0]!));
        yield return new GoFunction("urlJoin", [ParamType.Map], null, a => UrlJoin(a[0] as Dictionary<string, object?> ?? []));
        yield return new GoFunction("semver", [ParamType.String], null, a => SemVersion.Parse((string)a[0]!));
        yield return new GoFunction("semverCompare", [ParamType.String, ParamType.String], null, a => SemConstraints.Check((string)a[0]!, SemVersion.Parse((string)a[1]!)));
        yield return new GoFunction("getHostByName", [ParamType.String], null, a => HostByName((string)a[0]!));
    }

    private static Dictionary<string, object?> UrlParse(string v)
    {
        GoUrl url;
        try
        {
            url = GoUrl.Parse(v);
        }
        catch (FormatException e)
        {
            throw new GoCallException($"unable to parse url: {e.Message}");
        }

        return new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["scheme"] = url.Scheme,
            ["host"] = url.Host,
            ["hostname"] = url.Hostname(),
            ["path"] = url.Path,
            ["query"] = url.RawQuery,
            ["opaque"] = url.Opaque,
            ["fragment"] = url.Fragment,
            ["userinfo"] = url.UserInfo(),
        };
    }

    private static string UrlJoin(Dictionary<string, object?> d)
    {
        string[] parts = [.. UrlKeys.Select(key => d.TryGetValue(key, out object? value) ? value as string ?? throw NotAString(key, value) : "")];
        var url = new GoUrl { Scheme = parts[0], Host = parts[1], Path = parts[2], RawQuery = parts[3], Opaque = parts[4], Fragment = parts[5] };
        if (parts[6].Length > 0)
        {
            try
            {
                url.User = GoUrl.Parse($"proto://{parts[6]}@host").User;
            }
            catch (FormatException e)
            {
                throw new GoCallException($"unable to parse userinfo in dict: {e.Message}");
            }
        }

        return url.ToString();
    }

    private static GoCallException NotAString(string key, object? value) => new(value is null
        ? "runtime error: invalid memory address or nil pointer dereference"
        : $"unable to parse {key} key, must be of type string, but {Kind(value)} found");

    private static string Kind(object value) => value switch
    {
        long => "int",
        GoInt64 => "int64",
        double => "float64",
        bool => "bool",
        IDictionary => "map",
        IList => "slice",
        _ => "struct",
    };

    /// <summary>One of the name's addresses, at random, as sprig picks it (an IP is its own address; an unknown name fails).</summary>
    private static string HostByName(string name)
    {
        if (IPAddress.TryParse(name, out _) && (name.Contains(':', StringComparison.Ordinal) || name.Count(c => c == '.') == 3))
        {
            return name;
        }

        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(name);
        }
        catch (SocketException)
        {
            addresses = [];
        }
        catch (ArgumentException)
        {
            addresses = [];
        }

        return addresses.Length == 0
            ? throw new GoCallException("invalid argument to Intn")
            : addresses[Random.Shared.Next(addresses.Length)].ToString();
    }
}
