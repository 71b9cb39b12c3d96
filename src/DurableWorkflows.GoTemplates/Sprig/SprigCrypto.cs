using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Generators;

namespace DurableWorkflows.GoTemplates.Sprig;

/// <summary>sprig's passwords and ciphers (crypto.go): <c>bcrypt</c>, <c>htpasswd</c>, <c>derivePassword</c>, <c>encryptAES</c>, <c>decryptAES</c>.</summary>
internal static class SprigCrypto
{
    private const string MasterPasswordSeed = "com.lyndir.masterpassword";

    private static readonly Dictionary<string, string[]> PasswordTemplates = new(StringComparer.Ordinal)
    {
        ["maximum"] = ["anoxxxxxxxxxxxxxxxxx", "axxxxxxxxxxxxxxxxxno"],
        ["long"] =
        [
            "CvcvnoCvcvCvcv", "CvcvCvcvnoCvcv", "CvcvCvcvCvcvno", "CvccnoCvcvCvcv", "CvccCvcvnoCvcv", "CvccCvcvCvcvno", "CvcvnoCvccCvcv",
            "CvcvCvccnoCvcv", "CvcvCvccCvcvno", "CvcvnoCvcvCvcc", "CvcvCvcvnoCvcc", "CvcvCvcvCvccno", "CvccnoCvccCvcv", "CvccCvccnoCvcv",
            "CvccCvccCvcvno", "CvcvnoCvccCvcc", "CvcvCvccnoCvcc", "CvcvCvccCvccno", "CvccnoCvcvCvcc", "CvccCvcvnoCvcc", "CvccCvcvCvccno",
        ],
        ["medium"] = ["CvcnoCvc", "CvcCvcno"],
        ["short"] = ["Cvcn"],
        ["basic"] = ["aaanaaan", "aannaaan", "aaannaaa"],
        ["pin"] = ["nnnn"],
    };

    private static readonly Dictionary<char, string> TemplateCharacters = new()
    {
        ['V'] = "AEIOU",
        ['C'] = "BCDFGHJKLMNPQRSTVWXYZ",
        ['v'] = "aeiou",
        ['c'] = "bcdfghjklmnpqrstvwxyz",
        ['A'] = "AEIOUBCDFGHJKLMNPQRSTVWXYZ",
        ['a'] = "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz",
        ['n'] = "0123456789",
        ['o'] = "@&%?,=[]_:-+*$#!'^~;()/.",
        ['x'] = "AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()",
    };

    public static IEnumerable<GoFunction> Functions()
    {
        yield return new GoFunction("bcrypt", [ParamType.String], null, a => Bcrypt((string)a[0]!));
        yield return new GoFunction("htpasswd", [ParamType.String, ParamType.String], null, a => ((string)a[0]!).Contains(':', StringComparison.Ordinal)
            ? $"invalid username: {a[0]}"
            : $"{a[0]}:{Bcrypt((string)a[1]!)}");
        yield return new GoFunction("derivePassword", [ParamType.Uint32, ParamType.String, ParamType.String, ParamType.String, ParamType.String], null,
            a => DerivePassword((uint)(long)a[0]!, (string)a[1]!, (string)a[2]!, (string)a[3]!, (string)a[4]!));
        yield return new GoFunction("encryptAES", [ParamType.String, ParamType.String], null, a => EncryptAes((string)a[0]!, (string)a[1]!));
        yield return new GoFunction("decryptAES", [ParamType.String, ParamType.String], null, a => DecryptAes((string)a[0]!, (string)a[1]!));
    }

    /// <summary>golang.org/x/crypto/bcrypt at its default cost (10), version 2a; like Go, only the first 72 bytes count.</summary>
    private static string Bcrypt(string input) => OpenBsdBCrypt.Generate("2a", input.ToCharArray(), RandomNumberGenerator.GetBytes(16), 10);

    /// <summary>sprig's Master Password algorithm: scrypt of the password salted with the user, HMAC of the site, then a template of the type.</summary>
    private static string DerivePassword(uint counter, string passwordType, string password, string user, string site)
    {
        if (!PasswordTemplates.TryGetValue(passwordType, out string[]? templates))
        {
            return $"cannot find password template {passwordType}";
        }

        byte[] key = SCrypt.Generate(Encoding.UTF8.GetBytes(password), Salted(Encoding.UTF8.GetBytes(user)), 32768, 8, 2, 64);
        byte[] siteBytes = Encoding.UTF8.GetBytes(site);
        byte[] message = [.. Salted(siteBytes), .. BigEndian(counter)];
        byte[] seed = HMACSHA256.HashData(key, message);
        string template = templates[seed[0] % templates.Length];
        var sb = new StringBuilder(template.Length);
        for (int i = 0; i < template.Length; i++)
        {
            string chars = TemplateCharacters[template[i]];
            sb.Append(chars[seed[i + 1] % chars.Length]);
        }

        return sb.ToString();
    }

    private static byte[] Salted(byte[] value) => [.. Encoding.ASCII.GetBytes(MasterPasswordSeed), .. BigEndian((uint)value.Length), .. value];

    private static byte[] BigEndian(uint value)
    {
        byte[] b = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        return b;
    }

    /// <summary>AES-256-CBC, the key the password's first 32 bytes (zero-padded), a random IV before the text, PKCS#7 padding, base64.</summary>
    private static string EncryptAes(string password, string plaintext)
    {
        if (plaintext.Length == 0)
        {
            return "";
        }

        using Aes aes = AesFor(password);
        byte[] iv = RandomNumberGenerator.GetBytes(16);
        return Convert.ToBase64String([.. iv, .. aes.EncryptCbc(Encoding.UTF8.GetBytes(plaintext), iv, PaddingMode.PKCS7)]);
    }

    /// <summary>As sprig decrypts: the padding is cut by its last byte's count, unchecked; input that is not whole blocks fails.</summary>
    private static string DecryptAes(string password, string crypt64)
    {
        if (crypt64.Length == 0)
        {
            return "";
        }

        byte[] crypt = SprigFunctions.Base64Std(crypt64, out string? error) ?? throw new GoCallException(error!);
        if (crypt.Length < 16)
        {
            throw new GoCallException($"runtime error: slice bounds out of range [:16] with capacity {crypt.Length}");
        }

        if ((crypt.Length - 16) % 16 != 0)
        {
            throw new GoCallException("crypto/cipher: input not full blocks");
        }

        using Aes aes = AesFor(password);
        byte[] decrypted = aes.DecryptCbc(crypt.AsSpan(16), crypt.AsSpan(0, 16), PaddingMode.None);
        if (decrypted.Length == 0)
        {
            throw new GoCallException("runtime error: index out of range [-1]");
        }

        int cut = decrypted.Length - decrypted[^1];
        return cut < 0
            ? throw new GoCallException($"runtime error: slice bounds out of range [:{cut}]")
            : Encoding.UTF8.GetString(decrypted, 0, cut);
    }

    private static Aes AesFor(string password)
    {
        byte[] key = new byte[32];
        byte[] bytes = Encoding.UTF8.GetBytes(password);
        bytes.AsSpan(0, Math.Min(32, bytes.Length)).CopyTo(key);
        var aes = Aes.Create();
        aes.Key = key;
        return aes;
    }
}
