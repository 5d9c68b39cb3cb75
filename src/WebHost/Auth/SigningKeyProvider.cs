using System.Security.Cryptography;
using System.Text;
using Dispatch.Silo.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Dispatch.WebHost.Auth;

/// <summary>The token signing key: from configuration, or generated once into the data folder.</summary>
public sealed class SigningKeyProvider(IOptions<AuthOptions> options, DispatchStorageOptions storage)
{
    public const string KeyFileName = "signing-key";

    private readonly Lazy<SymmetricSecurityKey> key = new(() => Load(options.Value, storage));

    public SymmetricSecurityKey Key => key.Value;

    private static SymmetricSecurityKey Load(AuthOptions options, DispatchStorageOptions storage)
    {
        if (!string.IsNullOrEmpty(options.SigningKey))
        {
            var configured = Encoding.UTF8.GetBytes(options.SigningKey);
            if (configured.Length < 32)
            {
                throw new InvalidOperationException($"{AuthOptions.Section}:SigningKey must be at least 32 bytes long.");
            }

            return new SymmetricSecurityKey(configured);
        }

        var path = Path.Combine(storage.DataDir, KeyFileName);
        if (!File.Exists(path))
        {
            var generated = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
            try
            {
                // CreateNew: if another process wrote the key first, theirs wins and is read below.
                using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
                using var writer = new StreamWriter(file);
                writer.Write(generated);
            }
            catch (IOException) when (File.Exists(path))
            {
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }
}
