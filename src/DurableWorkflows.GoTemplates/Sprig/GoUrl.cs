using System.Text;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>
/// Go's <c>net/url</c> as sprig's <c>urlParse</c> and <c>urlJoin</c> use it: <c>Parse</c>, <c>URL.String</c> and their
/// escaping rules. Go works on bytes: the text here is held one UTF-8 byte per char (Latin-1) and turned back at the end.
/// </summary>
internal sealed class GoUrl
{
    private enum Mode
    {
        Path,
        PathSegment,
        Host,
        Zone,
        UserPassword,
        QueryComponent,
        Fragment,
    }

    public string Scheme { get; set; } = "";

    public string Opaque { get; set; } = "";

    /// <summary>The user info as Go's <c>Userinfo.String</c> writes it, null when there is none.</summary>
    public (string User, string? Password)? User { get; set; }

    public string Host { get; set; } = "";

    public string Path { get; set; } = "";

    public string RawPath { get; private set; } = "";

    public bool OmitHost { get; private set; }

    public bool ForceQuery { get; private set; }

    public string RawQuery { get; set; } = "";

    public string Fragment { get; set; } = "";

    private string RawFragment { get; set; } = "";

    /// <summary>Go's <c>url.Parse</c>; text in and out as .NET strings.</summary>
    public static GoUrl Parse(string raw)
    {
        string bytes = ToBytes(raw);
        int hash = bytes.IndexOf('#', StringComparison.Ordinal);
        string u = hash < 0 ? bytes : bytes[..hash];
        string fragment = hash < 0 ? "" : bytes[(hash + 1)..];
        GoUrl url;
        try
        {
            url = ParseWithoutFragment(u);
        }
        catch (FormatException e)
        {
            throw new FormatException($"parse {GoFormat.Quote(FromBytes(u))}: {e.Message}");
        }

        if (fragment.Length > 0)
        {
            try
            {
                url.Fragment = Unescape(fragment, Mode.Fragment);
                url.RawFragment = Escape(url.Fragment, Mode.Fragment) == fragment ? "" : fragment;
            }
            catch (FormatException e)
            {
                throw new FormatException($"parse {GoFormat.Quote(raw)}: {e.Message}");
            }
        }

        return url.Decoded();
    }

    /// <summary>Go's <c>URL.String</c> of this URL's (decoded) parts.</summary>
    public override string ToString()
    {
        GoUrl u = Encoded();
        var buf = new StringBuilder();
        if (u.Scheme.Length > 0)
        {
            buf.Append(u.Scheme).Append(':');
        }

        if (u.Opaque.Length > 0)
        {
            buf.Append(u.Opaque);
        }
        else
        {
            if ((u.Scheme.Length > 0 || u.Host.Length > 0 || u.User is not null) && !(u.OmitHost && u.Host.Length == 0 && u.User is null))
            {
                if (u.Host.Length > 0 || u.Path.Length > 0 || u.User is not null)
                {
                    buf.Append("//");
                }

                if (u.User is { } user)
                {
                    buf.Append(EscapedUserInfo(user)).Append('@');
                }

                buf.Append(Escape(u.Host, Mode.Host));
            }

            string path = u.EscapedPath();
            if (path.Length > 0 && path[0] != '/' && u.Host.Length > 0)
            {
                buf.Append('/');
            }

            if (buf.Length == 0 && path.Split('/')[0].Contains(':', StringComparison.Ordinal))
            {
                buf.Append("./");
            }

            buf.Append(path);
        }

        if (u.ForceQuery || u.RawQuery.Length > 0)
        {
            buf.Append('?').Append(u.RawQuery);
        }

        if (u.Fragment.Length > 0)
        {
            buf.Append('#').Append(u.EscapedFragment());
        }

        return FromBytes(buf.ToString());
    }

    /// <summary>Go's <c>Userinfo.String</c>: the user and, when set, <c>:</c> and the password, escaped.</summary>
    public string UserInfo() => Encoded().User is { } user ? FromBytes(EscapedUserInfo(user)) : "";

    /// <summary>The user and, when set, <c>:</c> and the password, escaped (held as bytes).</summary>
    private static string EscapedUserInfo((string User, string? Password) user) =>
        Escape(user.User, Mode.UserPassword) + (user.Password is null ? "" : ":" + Escape(user.Password, Mode.UserPassword));

    /// <summary>Go's <c>URL.Hostname</c>: the host without its port and IPv6 brackets.</summary>
    public string Hostname()
    {
        string host = Host;
        int colon = host.LastIndexOf(':');
        if (colon >= 0 && ValidOptionalPort(host[colon..]))
        {
            host = host[..colon];
        }

        return host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
    }

    private static GoUrl ParseWithoutFragment(string raw)
    {
        if (raw.Any(c => c < ' ' || c == 0x7f))
        {
            throw new FormatException("net/url: invalid control character in URL");
        }

        var url = new GoUrl();
        if (raw == "*")
        {
            url.Path = "*";
            return url;
        }

        (url.Scheme, string rest) = GetScheme(raw);
        url.Scheme = url.Scheme.ToLowerInvariant();
        if (rest.EndsWith('?') && rest.Count(c => c == '?') == 1)
        {
            url.ForceQuery = true;
            rest = rest[..^1];
        }
        else if (rest.IndexOf('?', StringComparison.Ordinal) is int q and >= 0)
        {
            url.RawQuery = rest[(q + 1)..];
            rest = rest[..q];
        }

        if (!rest.StartsWith('/'))
        {
            if (url.Scheme.Length > 0)
            {
                url.Opaque = rest;
                return url;
            }

            if (rest.Split('/')[0].Contains(':', StringComparison.Ordinal))
            {
                throw new FormatException("first path segment in URL cannot contain colon");
            }
        }

        if ((url.Scheme.Length > 0 || !rest.StartsWith("///", StringComparison.Ordinal)) && rest.StartsWith("//", StringComparison.Ordinal))
        {
            string authority = rest[2..];
            rest = "";
            if (authority.IndexOf('/', StringComparison.Ordinal) is int slash and >= 0)
            {
                rest = authority[slash..];
                authority = authority[..slash];
            }

            (url.User, url.Host) = ParseAuthority(authority);
        }
        else if (url.Scheme.Length > 0 && rest.StartsWith('/'))
        {
            url.OmitHost = true;
        }

        url.Path = Unescape(rest, Mode.Path);
        url.RawPath = Escape(url.Path, Mode.Path) == rest ? "" : rest;
        return url;
    }

    private static (string Scheme, string Remainder) GetScheme(string raw)
    {
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z'))
            {
                continue;
            }

            if (c is (>= '0' and <= '9') or '+' or '-' or '.')
            {
                if (i == 0)
                {
                    return ("", raw);
                }

                continue;
            }

            if (c == ':')
            {
                return i == 0 ? throw new FormatException("missing protocol scheme") : (raw[..i], raw[(i + 1)..]);
            }

            return ("", raw);
        }

        return ("", raw);
    }

    private static ((string, string?)? User, string Host) ParseAuthority(string authority)
    {
        int at = authority.LastIndexOf('@');
        string host = ParseHost(at < 0 ? authority : authority[(at + 1)..]);
        if (at < 0)
        {
            return (null, host);
        }

        string userinfo = authority[..at];
        if (!userinfo.All(c => char.IsAsciiLetterOrDigit(c) || "-._:~!$&'()*+,;=%@".Contains(c, StringComparison.Ordinal)))
        {
            throw new FormatException("net/url: invalid userinfo");
        }

        int colon = userinfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0
            ? ((Unescape(userinfo, Mode.UserPassword), null), host)
            : ((Unescape(userinfo[..colon], Mode.UserPassword), Unescape(userinfo[(colon + 1)..], Mode.UserPassword)), host);
    }

    private static string ParseHost(string host)
    {
        if (host.StartsWith('['))
        {
            int close = host.LastIndexOf(']');
            if (close < 0)
            {
                throw new FormatException("missing ']' in host");
            }

            string colonPort = host[(close + 1)..];
            if (!ValidOptionalPort(colonPort))
            {
                throw new FormatException($"invalid port {GoFormat.Quote(FromBytes(colonPort))} after host");
            }

            int zone = host[..close].IndexOf("%25", StringComparison.Ordinal);
            if (zone >= 0)
            {
                return Unescape(host[..zone], Mode.Host) + Unescape(host[zone..close], Mode.Zone) + Unescape(host[close..], Mode.Host);
            }
        }
        else if (host.LastIndexOf(':') is int colon and >= 0 && !ValidOptionalPort(host[colon..]))
        {
            throw new FormatException($"invalid port {GoFormat.Quote(FromBytes(host[colon..]))} after host");
        }

        return Unescape(host, Mode.Host);
    }

    private static bool ValidOptionalPort(string port) => port.Length == 0 || (port[0] == ':' && port[1..].All(char.IsAsciiDigit));

    private string EscapedPath()
    {
        if (RawPath.Length > 0 && ValidEncoded(RawPath, Mode.Path) && TryUnescape(RawPath, Mode.Path) == Path)
        {
            return RawPath;
        }

        return Path == "*" ? "*" : Escape(Path, Mode.Path);
    }

    private string EscapedFragment() =>
        RawFragment.Length > 0 && ValidEncoded(RawFragment, Mode.Fragment) && TryUnescape(RawFragment, Mode.Fragment) == Fragment
            ? RawFragment
            : Escape(Fragment, Mode.Fragment);

    private static bool ValidEncoded(string s, Mode mode) =>
        s.All(c => "!$&'()*+,;=:@[]%".Contains(c, StringComparison.Ordinal) || !ShouldEscape(c, mode));

    private static string? TryUnescape(string s, Mode mode)
    {
        try
        {
            return Unescape(s, mode);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool ShouldEscape(char c, Mode mode)
    {
        if (char.IsAsciiLetterOrDigit(c))
        {
            return false;
        }

        if (mode is Mode.Host or Mode.Zone && "!$&'()*+,;=:[]<>\"".Contains(c, StringComparison.Ordinal))
        {
            return false;
        }

        switch (c)
        {
            case '-' or '_' or '.' or '~':
                return false;
            case '$' or '&' or '+' or ',' or '/' or ':' or ';' or '=' or '?' or '@':
                return mode switch
                {
                    Mode.Path => c == '?',
                    Mode.PathSegment => c is '/' or ';' or ',' or '?',
                    Mode.UserPassword => c is '@' or '/' or '?' or ':',
                    Mode.QueryComponent => true,
                    Mode.Fragment => false,
                    _ => true,
                };
        }

        return !(mode == Mode.Fragment && c is '!' or '(' or ')' or '*');
    }

    private static string Escape(string s, Mode mode)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            if (c == ' ' && mode == Mode.QueryComponent)
            {
                sb.Append('+');
            }
            else if (ShouldEscape(c, mode))
            {
                sb.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string Unescape(string s, Mode mode)
    {
        var sb = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '%')
            {
                if (i + 2 >= s.Length || !char.IsAsciiHexDigit(s[i + 1]) || !char.IsAsciiHexDigit(s[i + 2]))
                {
                    throw new FormatException($"invalid URL escape {GoFormat.Quote(FromBytes(s[i..Math.Min(s.Length, i + 3)]))}");
                }

                int v = Convert.ToInt32(s.Substring(i + 1, 2), 16);
                if (mode == Mode.Host && v < 0x80 && s.Substring(i, 3) != "%25")
                {
                    throw new FormatException($"invalid URL escape {GoFormat.Quote(s.Substring(i, 3))}");
                }

                if (mode == Mode.Zone && s.Substring(i, 3) != "%25" && v != ' ' && ShouldEscape((char)v, Mode.Host))
                {
                    throw new FormatException($"invalid URL escape {GoFormat.Quote(s.Substring(i, 3))}");
                }

                sb.Append((char)v);
                i += 2;
            }
            else if (c == '+')
            {
                sb.Append(mode == Mode.QueryComponent ? ' ' : '+');
            }
            else if (mode is Mode.Host or Mode.Zone && c < 0x80 && ShouldEscape(c, mode))
            {
                throw new FormatException($"invalid character {GoFormat.Quote(c.ToString())} in host name");
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private static string ToBytes(string s) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(s));

    private static string FromBytes(string s) => Encoding.UTF8.GetString(Encoding.Latin1.GetBytes(s));

    /// <summary>The parts as text (a parsed URL holds bytes until here).</summary>
    private GoUrl Decoded() => Map(FromBytes);

    /// <summary>The parts as bytes, to write.</summary>
    private GoUrl Encoded() => Map(ToBytes);

    private GoUrl Map(Func<string, string> f) => new()
    {
        Scheme = f(Scheme), Opaque = f(Opaque), Host = f(Host), Path = f(Path), RawPath = f(RawPath), OmitHost = OmitHost,
        ForceQuery = ForceQuery, RawQuery = f(RawQuery), Fragment = f(Fragment), RawFragment = f(RawFragment),
        User = User is { } u ? (f(u.User), u.Password is null ? null : f(u.Password)) : null,
    };
}
