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

    private readonly Lazy<SymmetricSecurityKey[]> validation = new(() =>
        string.IsNullOrEmpty(options.Value.PreviousSigningKey) ? [] : [new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.Value.PreviousSigningKey))]);

    /// <summary>Signs new tokens, and checks them.</summary>
    public SymmetricSecurityKey Key => key.Value;

    /// <summary>Every key a token may be signed with: the current one, and the previous one while a rotation settles.</summary>
    public IEnumerable<SecurityKey> ValidationKeys => [Key, .. validation.Value];

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
                // Written whole to a private temporary file, then moved into place without
                // overwriting: if another process got there first, its key wins and is read below.
                var temporary = $"{path}.{Environment.ProcessId}.tmp";
                var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using (var writer = new StreamWriter(temporary, fileOptions))
                {
                    writer.Write(generated);
                }

                try
                {
                    File.Move(temporary, path, overwrite: false);
                }
                finally
                {
                    File.Delete(temporary);
                }
            }
            catch (IOException) when (File.Exists(path))
            {
            }
        }

        return new SymmetricSecurityKey(Convert.FromBase64String(File.ReadAllText(path).Trim()));
    }
}
