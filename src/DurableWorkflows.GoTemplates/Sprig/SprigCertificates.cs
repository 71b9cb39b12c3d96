using System.Collections;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>sprig's <c>certificate</c>: a PEM certificate and its PEM key.</summary>
[GoType("sprig.certificate")]
internal sealed class SprigCertificate(string cert, string key)
{
    public string Cert { get; } = cert;

    public string Key { get; } = key;
}

/// <summary>
/// sprig's keys and certificates (crypto.go): <c>genPrivateKey</c>, <c>buildCustomCert</c>, <c>genCA</c>,
/// <c>genSelfSignedCert</c>, <c>genSignedCert</c> and their <c>WithKey</c> forms, made as Go's x509 makes them
/// (a random 128-bit serial, the common name alone as subject, server and client auth, basic constraints).
/// </summary>
internal static class SprigCertificates
{
    public static IEnumerable<GoFunction> Functions()
    {
        yield return new GoFunction("genPrivateKey", [ParamType.String], null, a => SprigKey.Generate((string)a[0]!));
        yield return new GoFunction("buildCustomCert", [ParamType.String, ParamType.String], null, a => BuildCustom((string)a[0]!, (string)a[1]!));
        yield return new GoFunction("genCA", [ParamType.String, ParamType.Int], null, a => Ca((string)a[0]!, (long)a[1]!, SprigKey.NewRsa2048()));
        yield return new GoFunction("genCAWithKey", [ParamType.String, ParamType.Int, ParamType.String], null, a => Ca((string)a[0]!, (long)a[1]!, WithKey((string)a[2]!)));
        yield return new GoFunction("genSelfSignedCert", [ParamType.String, ParamType.Any, ParamType.Any, ParamType.Int], null,
            a => SelfSigned((string)a[0]!, a[1], a[2], (long)a[3]!, SprigKey.NewRsa2048()));
        yield return new GoFunction("genSelfSignedCertWithKey", [ParamType.String, ParamType.Any, ParamType.Any, ParamType.Int, ParamType.String], null,
            a => SelfSigned((string)a[0]!, a[1], a[2], (long)a[3]!, WithKey((string)a[4]!)));
        yield return new GoFunction("genSignedCert", [ParamType.String, ParamType.Any, ParamType.Any, ParamType.Int, ParamType.Any], null,
            a => Signed((string)a[0]!, a[1], a[2], (long)a[3]!, Certificate(a[4]), SprigKey.NewRsa2048()));
        yield return new GoFunction("genSignedCertWithKey", [ParamType.String, ParamType.Any, ParamType.Any, ParamType.Int, ParamType.Any, ParamType.String], null,
            a => Signed((string)a[0]!, a[1], a[2], (long)a[3]!, Certificate(a[4]), WithKey((string)a[5]!)));
    }

    private static SprigCertificate Certificate(object? v) =>
        v as SprigCertificate ?? throw new GoCallException($"wrong type for value; expected sprig.certificate; got {(v is null ? "interface {}" : GoValues.TypeName(v))}");

    private static SprigKey WithKey(string pem) => ParseKey(pem, "parsing private key");

    /// <summary>A PEM key, its error prefixed as sprig prefixes it where it reads one.</summary>
    private static SprigKey ParseKey(string pem, string prefix)
    {
        try
        {
            return SprigKey.Parse(pem);
        }
        catch (GoCallException e)
        {
            throw new GoCallException($"{prefix}: {e.Message}");
        }
    }

    private static SprigCertificate BuildCustom(string b64cert, string b64key)
    {
        byte[] cert = SprigFunctions.Base64Std(b64cert, out _) ?? throw new GoCallException("unable to decode base64 certificate");
        byte[] key = SprigFunctions.Base64Std(b64key, out _) ?? throw new GoCallException("unable to decode base64 private key");
        string certText = Encoding.UTF8.GetString(cert);
        string keyText = Encoding.UTF8.GetString(key);
        ParseCertificate(certText, "decodedCert.Bytes");
        ParseKey(keyText, "error parsing private key");
        return new SprigCertificate(certText, keyText);
    }

    /// <summary>What signing needs of a parsed certificate: its subject and its subject key id.</summary>
    private sealed record ParsedCertificate(Asn1Encodable Subject, byte[]? SubjectKeyId);

    /// <summary>Reads a certificate as Go's x509 would accept it; read as plain ASN.1, since Go allows an empty subject.</summary>
    private static ParsedCertificate ParseCertificate(string pem, string what)
    {
        (string _, byte[] der) = PemBlocks.Decode(pem) ?? throw new GoCallException("unable to decode certificate");
        try
        {
            var cert = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der));
            AlgorithmIdentifier.GetInstance(cert[1]);
            DerBitString.GetInstance(cert[2]);
            var tbs = Asn1Sequence.GetInstance(cert[0]);
            int i = tbs[0] is Asn1TaggedObject ? 1 : 0;
            DerInteger.GetInstance(tbs[i]);
            X509Name subject = X509Name.GetInstance(tbs[i + 4]);
            SubjectPublicKeyInfo.GetInstance(tbs[i + 5]);
            byte[]? keyId = null;
            foreach (Asn1Encodable element in tbs)
            {
                if (element is Asn1TaggedObject { TagNo: 3 } tagged
                    && X509Extensions.GetInstance(tagged.GetExplicitBaseObject()).GetExtension(X509Extensions.SubjectKeyIdentifier) is { } ski)
                {
                    keyId = Asn1OctetString.GetInstance(ski.GetParsedValue()).GetOctets();
                }
            }

            return cert.Count == 3 ? new ParsedCertificate(subject, keyId) : throw new ArgumentException("trailing data");
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or IOException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new GoCallException($"error parsing certificate: {what}: x509: malformed certificate");
        }
    }

    private static SprigCertificate Ca(string cn, long days, SprigKey key) =>
        Create(new CertTemplate(cn, [], [], days, IsCa: true), key, issuer: null, key);

    private static SprigCertificate SelfSigned(string cn, object? ips, object? dns, long days, SprigKey key) =>
        Create(new CertTemplate(cn, Ips(ips), Names(dns), days, IsCa: false), key, issuer: null, key);

    private static SprigCertificate Signed(string cn, object? ips, object? dns, long days, SprigCertificate ca, SprigKey key)
    {
        ParsedCertificate signer = ParseCertificate(ca.Cert, "decodedSignerCert.Bytes");
        SprigKey signerKey = ParseKey(ca.Key, "error parsing private key");
        return Create(new CertTemplate(cn, Ips(ips), Names(dns), days, IsCa: false), key, signer, signerKey);
    }

    private sealed record CertTemplate(string Cn, IReadOnlyList<IPAddress> Ips, IReadOnlyList<string> Names, long Days, bool IsCa);

    private static IReadOnlyList<IPAddress> Ips(object? ips) => Items(ips).Select(ip => ip is string s && ParseIp(s) is { } a
        ? a
        : throw new GoCallException(ip is string bad ? $"error parsing ip: {bad}" : $"error parsing ip: {GoFormat.ToText(ip)} is not a string")).ToList();

    private static IReadOnlyList<string> Names(object? names) => Items(names).Select(n => n as string
        ?? throw new GoCallException($"error processing alternate dns name: {GoFormat.ToText(n)} is not a string")).ToList();

    private static IEnumerable<object?> Items(object? v) => v switch
    {
        null => [],
        IList list => list.Cast<object?>(),
        _ => throw new GoCallException($"wrong type for value; expected []interface {{}}; got {GoValues.TypeName(v)}"),
    };

    /// <summary>Go's <c>net.ParseIP</c>: dotted IPv4 without leading zeros, or IPv6 without a zone.</summary>
    private static IPAddress? ParseIp(string s)
    {
        if (s.Contains(':', StringComparison.Ordinal))
        {
            return !s.Contains('%', StringComparison.Ordinal) && IPAddress.TryParse(s, out IPAddress? v6) ? v6 : null;
        }

        string[] parts = s.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit) && (p.Length == 1 || p[0] != '0') && int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) <= 255)
            ? IPAddress.Parse(s)
            : null;
    }

    private static SprigCertificate Create(CertTemplate t, SprigKey key, ParsedCertificate? issuer, SprigKey signerKey)
    {
        string algorithm = signerKey.Private switch
        {
            RsaKeyParameters => "SHA256WITHRSA",
            ECPrivateKeyParameters ec => ec.Parameters.Curve.FieldSize switch { > 384 => "SHA512WITHECDSA", > 256 => "SHA384WITHECDSA", _ => "SHA256WITHECDSA" },
            Ed25519PrivateKeyParameters => "Ed25519",
            _ => throw new GoCallException("error creating certificate: x509: certificate private key does not implement crypto.Signer"),
        };
        AsymmetricKeyParameter publicKey = key.Public ?? throw new GoCallException("error creating certificate: x509: unsupported public key type: *dsa.PublicKey");

        // Built as plain ASN.1: Go allows an empty subject (genSelfSignedCert ""), which BouncyCastle's certificate types refuse.
        X509Name subject = t.Cn.Length == 0 ? new X509Name([], new List<string>()) : new X509Name([X509Name.CN], new List<string> { t.Cn });
        var signature = new Asn1SignatureFactory(algorithm, signerKey.Private);
        var algorithmId = (AlgorithmIdentifier)signature.AlgorithmDetails;
        DateTime now = DateTime.UtcNow;
        var extensions = new X509ExtensionsGenerator();
        int usage = KeyUsage.KeyEncipherment | KeyUsage.DigitalSignature | (t.IsCa ? KeyUsage.KeyCertSign : 0);
        extensions.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(usage));
        extensions.AddExtension(X509Extensions.ExtendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeID.id_kp_serverAuth, KeyPurposeID.id_kp_clientAuth));
        extensions.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(t.IsCa));
        if (t.IsCa)
        {
            extensions.AddExtension(X509Extensions.SubjectKeyIdentifier, false, new SubjectKeyIdentifier(SHA1.HashData(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).PublicKey.GetBytes())));
        }

        if (issuer?.SubjectKeyId is { } id)
        {
            extensions.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, new AuthorityKeyIdentifier(id));
        }

        if (t.Names.Count > 0 || t.Ips.Count > 0)
        {
            GeneralName[] names = [.. t.Names.Select(n => new GeneralName(GeneralName.DnsName, n)), .. t.Ips.Select(ip => new GeneralName(GeneralName.IPAddress, ip.ToString()))];
            extensions.AddExtension(X509Extensions.SubjectAlternativeName, false, new GeneralNames(names));
        }

        var body = new DerSequence(
            new DerTaggedObject(true, 0, DerInteger.ValueOf(2)),
            new DerInteger(new BigInteger(1, RandomNumberGenerator.GetBytes(16))),
            algorithmId,
            issuer?.Subject ?? subject,
            new DerSequence(new Time(now), new Time(now.AddHours(24.0 * t.Days))),
            subject,
            SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey),
            new DerTaggedObject(true, 3, extensions.Generate()));
        IStreamCalculator<IBlockResult> signer = signature.CreateCalculator();
        using (Stream stream = signer.Stream)
        {
            body.EncodeTo(stream, Asn1Encodable.Der);
        }

        var cert = new DerSequence(body, algorithmId, new DerBitString(signer.GetResult().Collect()));
        return new SprigCertificate(PemBlocks.Encode("CERTIFICATE", cert.GetDerEncoded()), key.Pem);
    }
}
