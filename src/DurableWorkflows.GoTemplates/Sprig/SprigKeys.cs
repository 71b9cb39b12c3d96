using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>
/// A private key as sprig holds one: generated (<c>genPrivateKey</c>: RSA 4096, DSA L2048N256, ECDSA P-256, Ed25519)
/// or read from PEM (<c>parsePrivateKeyPEM</c>), and written back in Go's form for its type (RSA as PKCS#1, EC as
/// SEC 1, DSA as sprig's own ASN.1, Ed25519 as PKCS#8).
/// </summary>
internal sealed class SprigKey
{
    private SprigKey(AsymmetricKeyParameter key, string pem, AsymmetricKeyParameter? publicKey)
    {
        Private = key;
        Pem = pem;
        Public = publicKey;
    }

    public AsymmetricKeyParameter Private { get; }

    /// <summary>The public half, or null where Go has none it can put in a certificate (DSA).</summary>
    public AsymmetricKeyParameter? Public { get; }

    /// <summary>Go's <c>pem.EncodeToMemory(pemBlockForKey(key))</c>.</summary>
    public string Pem { get; }

    /// <summary><c>genPrivateKey</c>: the PEM, or sprig's message for an unknown type.</summary>
    public static string Generate(string type) => type switch
    {
        "" or "rsa" => FromRsa(RsaOf(4096)).Pem,
        "dsa" => FromDsa(DsaOf()).Pem,
        "ecdsa" => FromPkcs8(EcOf()).Pem,
        "ed25519" => FromEd25519(new Ed25519PrivateKeyParameters(new SecureRandom())).Pem,
        _ => "Unknown type " + type,
    };

    /// <summary>A new RSA 2048 key (the certificate functions' own).</summary>
    public static SprigKey NewRsa2048() => FromRsa(RsaOf(2048));

    private static byte[] RsaOf(int bits)
    {
        using RSA rsa = RSA.Create(bits);
        return rsa.ExportRSAPrivateKey();
    }

    private static DSAParameters DsaOf()
    {
        using DSA dsa = DSA.Create(2048);
        return dsa.ExportParameters(true);
    }

    private static byte[] EcOf()
    {
        using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return ec.ExportPkcs8PrivateKey();
    }

    private static SprigKey FromRsa(byte[] pkcs1)
    {
        using RSA rsa = RSA.Create();
        rsa.ImportRSAPrivateKey(pkcs1, out _);
        var key = (RsaPrivateCrtKeyParameters)PrivateKeyFactory.CreateKey(rsa.ExportPkcs8PrivateKey());
        return new SprigKey(key, PemBlocks.Encode("RSA PRIVATE KEY", pkcs1), new RsaKeyParameters(false, key.Modulus, key.PublicExponent));
    }

    private static SprigKey FromDsa(DSAParameters p)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            foreach (byte[] n in new[] { p.P!, p.Q!, p.G!, p.Y!, p.X! })
            {
                writer.WriteInteger(new BigInteger(n, isUnsigned: true, isBigEndian: true));
            }
        }

        using DSA dsa = DSA.Create(p);
        return new SprigKey(PrivateKeyFactory.CreateKey(dsa.ExportPkcs8PrivateKey()), PemBlocks.Encode("DSA PRIVATE KEY", writer.Encode()), null);
    }

    private static SprigKey FromEd25519(Ed25519PrivateKeyParameters key)
    {
        // Go's MarshalPKCS8PrivateKey: version 0, the algorithm without parameters, the seed in an octet string.
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.3.101.112");
            }

            var inner = new AsnWriter(AsnEncodingRules.DER);
            inner.WriteOctetString(key.GetEncoded());
            writer.WriteOctetString(inner.Encode());
        }

        return new SprigKey(key, PemBlocks.Encode("PRIVATE KEY", writer.Encode()), key.GeneratePublicKey());
    }

    /// <summary>A PKCS#8 key of any type, written back in Go's form for its type.</summary>
    private static SprigKey FromPkcs8(byte[] pkcs8)
    {
        AsymmetricKeyParameter key = PrivateKeyFactory.CreateKey(pkcs8);
        switch (key)
        {
            case RsaPrivateCrtKeyParameters:
            {
                using RSA rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(pkcs8, out _);
                return FromRsa(rsa.ExportRSAPrivateKey());
            }

            case ECPrivateKeyParameters ec:
            {
                using ECDsa ecdsa = ECDsa.Create();
                ecdsa.ImportPkcs8PrivateKey(pkcs8, out _);
                var q = ec.Parameters.G.Multiply(ec.D).Normalize();
                return new SprigKey(key, PemBlocks.Encode("EC PRIVATE KEY", ecdsa.ExportECPrivateKey()), new ECPublicKeyParameters("EC", q, ec.PublicKeyParamSet));
            }

            case Ed25519PrivateKeyParameters ed:
                return FromEd25519(ed);
            case DsaPrivateKeyParameters:
            {
                using DSA dsa = DSA.Create();
                dsa.ImportPkcs8PrivateKey(pkcs8, out _);
                return FromDsa(dsa.ExportParameters(true));
            }

            default:
                throw new GoCallException($"x509: unknown private key type {key.GetType().Name}");
        }
    }

    /// <summary>sprig's <c>parsePrivateKeyPEM</c>.</summary>
    public static SprigKey Parse(string pem)
    {
        (string type, byte[] der) = PemBlocks.Decode(pem) ?? throw new GoCallException("no PEM data in input");
        try
        {
            switch (type)
            {
                case "PRIVATE KEY":
                    return FromPkcs8(der);
                case "RSA PRIVATE KEY":
                    using (RSA rsa = RSA.Create())
                    {
                        rsa.ImportRSAPrivateKey(der, out _);
                        return FromRsa(rsa.ExportRSAPrivateKey());
                    }

                case "EC PRIVATE KEY":
                    using (ECDsa ec = ECDsa.Create())
                    {
                        ec.ImportECPrivateKey(der, out _);
                        return FromPkcs8(ec.ExportPkcs8PrivateKey());
                    }

                case "DSA PRIVATE KEY":
                    return FromDsa(ReadDsa(der));
            }
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or InvalidOperationException or AsnContentException)
        {
            throw new GoCallException($"parsing {type} from PEM: {e.Message}");
        }

        throw new GoCallException(type.EndsWith(" PRIVATE KEY", StringComparison.Ordinal)
            ? $"invalid private key type {type}"
            : $"no private key data in PEM block of type {type}");
    }

    private static DSAParameters ReadDsa(byte[] der)
    {
        AsnReader sequence = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        sequence.ReadInteger();
        byte[][] n = [.. Enumerable.Range(0, 5).Select(_ => sequence.ReadInteger().ToByteArray(isUnsigned: true, isBigEndian: true))];
        int size = n[0].Length;
        return new DSAParameters { P = n[0], Q = n[1], G = Pad(n[2], size), Y = Pad(n[3], size), X = Pad(n[4], n[1].Length) };
    }

    private static byte[] Pad(byte[] value, int size) => value.Length >= size ? value : [.. new byte[size - value.Length], .. value];
}

/// <summary>Go's <c>encoding/pem</c>, as sprig uses it.</summary>
internal static partial class PemBlocks
{
    /// <summary>Go's <c>pem.Encode</c>: the type line, the base64 in lines of 64, the end line.</summary>
    public static string Encode(string type, byte[] der)
    {
        string b64 = Convert.ToBase64String(der);
        var sb = new StringBuilder().Append("-----BEGIN ").Append(type).Append("-----\n");
        for (int i = 0; i < b64.Length; i += 64)
        {
            sb.Append(b64, i, Math.Min(64, b64.Length - i)).Append('\n');
        }

        return sb.Append("-----END ").Append(type).Append("-----\n").ToString();
    }

    /// <summary>Go's <c>pem.Decode</c>: the first well-formed block (headers skipped), or null.</summary>
    public static (string Type, byte[] Der)? Decode(string text)
    {
        foreach (Match m in Block().Matches(text))
        {
            string body = m.Groups[2].Value;
            if (body.Contains(':', StringComparison.Ordinal))
            {
                int blank = body.IndexOf("\n\n", StringComparison.Ordinal);
                body = blank < 0 ? body : body[(blank + 2)..];
            }

            if (SprigFunctions.Base64Std(Blanks().Replace(body, ""), out _) is { } der)
            {
                return (m.Groups[1].Value, der);
            }
        }

        return null;
    }

    [GeneratedRegex(@"(?:\A|\n)-----BEGIN ([^\n]*?)-----[ \t]*\r?\n(.*?)(?:\r?\n)?-----END \1-----", RegexOptions.Singleline)]
    private static partial Regex Block();

    [GeneratedRegex(@"[ \t\r\n]")]
    private static partial Regex Blanks();
}
