using System.Text;
using System.Text.Json;
using DurableWorkflows.Core.Templates;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.X509;

namespace DurableWorkflows.Core.Tests.Templates;

/// <summary>
/// Keys, certificates, bcrypt hashes and AES texts that sprig's functions make here are read by the real Go (the
/// oracle's x509, pem, bcrypt and AES), and Go's are read here: random output cannot be compared, so each side uses
/// the other's.
/// </summary>
public sealed class CryptoInteropTests
{
    private const string MakeChain = """
        {{ $k := genPrivateKey "TYPE" }}{{ $ca := genCAWithKey "interop ca" 30 $k }}{{ $leaf := genSignedCert "leaf" (list "127.0.0.1" "::1") (list "leaf.test") 5 $ca }}{{ $self := genSelfSignedCertWithKey "self" nil (list "self.test") 5 $k }}{{ toJson (list $k $ca.Cert $ca.Key $leaf.Cert $leaf.Key $self.Cert) }}
        """;

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private static string Ours(string template) =>
        TemplateRenderer.Language.Render(template, new Dictionary<string, object?>()) is { Text: { } text } ? text
            : throw new InvalidOperationException(string.Join("; ", TemplateRenderer.Language.Render(template, new Dictionary<string, object?>()).Errors));

    private static string Go(string template)
    {
        (string? output, string? error) = GoOracle.Render([("interop", template)], new Dictionary<string, object?>())[0];
        return output ?? throw new InvalidOperationException($"Go failed: {error}");
    }

    /// <summary>What Go reads back of a chain: each certificate and key through buildCustomCert, and a certificate it signs with the CA's key.</summary>
    private static string ReadInGo(string[] pem) => Go(
        $"{{{{ $ca := buildCustomCert \"{B64(pem[1])}\" \"{B64(pem[2])}\" }}}}{{{{ $leaf := buildCustomCert \"{B64(pem[3])}\" \"{B64(pem[4])}\" }}}}" +
        $"{{{{ $self := buildCustomCert \"{B64(pem[5])}\" \"{B64(pem[0])}\" }}}}{{{{ $signed := genSignedCert \"go\" nil nil 1 $ca }}}}" +
        $"{{{{ $again := genCAWithKey \"go ca\" 1 (b64dec \"{B64(pem[0])}\") }}}}{{{{ eq $again.Key (b64dec \"{B64(pem[0])}\") }}}}");

    [Theory]
    [InlineData("ecdsa")]
    [InlineData("ed25519")]
    [InlineData("rsa")]
    public void OurKeysAndCertificates_AreReadByGo(string type)
    {
        string[] pem = JsonSerializer.Deserialize<string[]>(Ours(MakeChain.Replace("TYPE", type, StringComparison.Ordinal)))!;

        // Go parses every certificate and key, signs with our CA's key, and writes our key back byte for byte.
        Assert.Equal("true", ReadInGo(pem));
        X509Certificate ca = ReadCertificate(pem[1]);
        X509Certificate leaf = ReadCertificate(pem[3]);
        leaf.Verify(ca.GetPublicKey());
        ca.Verify(ca.GetPublicKey());
        Assert.Equal("CN=interop ca", ca.SubjectDN.ToString());
        Assert.Equal("CN=interop ca", leaf.IssuerDN.ToString());
        Assert.Equal("CN=leaf", leaf.SubjectDN.ToString());
        Assert.True(ca.GetBasicConstraints() >= 0, "the CA is a CA");
        Assert.Equal(-1, leaf.GetBasicConstraints());
        Assert.Equal(TimeSpan.FromDays(5), leaf.NotAfter - leaf.NotBefore);
        Assert.Equal(
            ["2:leaf.test", "7:127.0.0.1", "7:::1"],
            leaf.GetSubjectAlternativeNames().Select(n => $"{n[0]}:{n[1]}").ToArray());
        Assert.Equal([KeyPurposeID.id_kp_serverAuth.Id, KeyPurposeID.id_kp_clientAuth.Id], leaf.GetExtendedKeyUsage().Select(o => o.Id).ToArray());
    }

    [Theory]
    [InlineData("ecdsa")]
    [InlineData("ed25519")]
    [InlineData("rsa")]
    public void GoKeysAndCertificates_AreReadHere(string type)
    {
        string[] pem = JsonSerializer.Deserialize<string[]>(Go(MakeChain.Replace("TYPE", type, StringComparison.Ordinal)))!;

        Assert.Equal("true", Ours(
            $"{{{{ $ca := buildCustomCert \"{B64(pem[1])}\" \"{B64(pem[2])}\" }}}}{{{{ $signed := genSignedCert \"ours\" nil nil 1 $ca }}}}" +
            $"{{{{ $again := genCAWithKey \"ca\" 1 (b64dec \"{B64(pem[0])}\") }}}}{{{{ eq $again.Key (b64dec \"{B64(pem[0])}\") }}}}"));
        ReadCertificate(pem[3]).Verify(ReadCertificate(pem[1]).GetPublicKey());
    }

    [Fact]
    public void DsaKeys_AreReadBothWays_AndRefusedForCertificatesBothWays()
    {
        string ours = Ours("{{ genPrivateKey \"dsa\" }}");
        string go = Go("{{ genPrivateKey \"dsa\" }}");
        string ca = Go("{{ (genCA \"ca\" 1).Cert }}");

        Assert.Equal("ok", Go($"{{{{ $c := buildCustomCert \"{B64(ca)}\" \"{B64(ours)}\" }}}}ok"));
        Assert.Equal("ok", Ours($"{{{{ $c := buildCustomCert \"{B64(ca)}\" \"{B64(go)}\" }}}}ok"));
        string withDsa = $"{{{{ genCAWithKey \"x\" 1 (b64dec \"{B64(go)}\") }}}}";
        Assert.Contains("does not implement crypto.Signer", GoOracle.Render([("dsa", withDsa)], null)[0].Error, StringComparison.Ordinal);
        Assert.Contains("does not implement crypto.Signer", TemplateRenderer.Language.Render(withDsa, new Dictionary<string, object?>()).Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BcryptHashes_AreAcceptedByGosBcrypt_WithGosRulesForLongPasswords()
    {
        string longPassword = new('p', 100);
        string[] hashes = JsonSerializer.Deserialize<string[]>(Ours(
            $"{{{{ toJson (list (bcrypt \"secret\") (bcrypt \"pässwörd\") (bcrypt \"\") (bcrypt \"{longPassword}\") (htpasswd \"user\" \"secret\")) }}}}"))!;
        string htpasswdHash = hashes[4]["user:".Length..];

        IReadOnlyList<bool> matches = GoOracle.BcryptMatches(
        [
            (hashes[0], "secret"), (hashes[0], "Secret"), (hashes[1], "pässwörd"), (hashes[2], ""), (hashes[2], "x"),
            (hashes[3], longPassword), (hashes[3], longPassword[..72]), (hashes[3], longPassword[..71]), (htpasswdHash, "secret"),
        ]);

        Assert.Equal([true, false, true, true, false, true, true, false, true], matches);
        Assert.StartsWith("user:$2a$10$", hashes[4], StringComparison.Ordinal);
    }

    [Fact]
    public void AesTexts_AreDecryptedByGo_AndGosHere()
    {
        const string plain = "the disk key: ü 0123456789abcdef";
        string ours = Ours($"{{{{ encryptAES \"a password\" \"{plain}\" }}}}");
        string go = Go($"{{{{ encryptAES \"a password\" \"{plain}\" }}}}");

        Assert.NotEqual(ours, go);
        Assert.Equal(plain, Go($"{{{{ decryptAES \"a password\" \"{ours}\" }}}}"));
        Assert.Equal(plain, Ours($"{{{{ decryptAES \"a password\" \"{go}\" }}}}"));
    }

    private static X509Certificate ReadCertificate(string pem) => new X509CertificateParser().ReadCertificate(Encoding.ASCII.GetBytes(pem));
}
