using System.Diagnostics;

namespace Barman.Wal.Checks;

/// <summary>The <c>encryption</c> check's test: encrypt a small temporary file with gpg, then delete both (spec: check §4.7).</summary>
internal static class GpgProbe
{
    public static async Task<bool> EncryptTestFileAsync(string recipient, string? pathPrefix, CancellationToken cancellationToken)
    {
        var source = Path.Combine(Path.GetTempPath(), $"barman-wal-encryption-test-{Guid.NewGuid():N}");
        var target = source + ".gpg";
        try
        {
            await File.WriteAllTextAsync(source, "barman-wal encryption test\n", cancellationToken).ConfigureAwait(false);
            var start = new ProcessStartInfo("gpg")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in (string[])["--yes", "--batch", "--pinentry-mode", "loopback", "--compress-level", "0",
                         "--recipient", recipient, "--encrypt", "--output", target, source])
                start.ArgumentList.Add(argument);
            if (pathPrefix is { Length: > 0 })
                start.Environment["PATH"] = $"{pathPrefix}:{Environment.GetEnvironmentVariable("PATH")}";
            using var process = Process.Start(start);
            if (process is null)
                return false;
            _ = process.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return process.ExitCode == 0 && File.Exists(target);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
        finally
        {
            File.Delete(source);
            File.Delete(target);
        }
    }
}
