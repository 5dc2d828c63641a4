using Barman.Wal.Tests.Infrastructure;

namespace Barman.Wal.Tests.Receiving;

/// <summary>
/// A directory to put first in PATH so that Barman's real <c>barman-wal-archive</c> reaches the built
/// barman-wal: an <c>ssh</c> that drops its options and <c>user@host</c> and runs the remote command
/// locally with <c>sh -c</c> (as sshd would), and a <c>barman</c> that runs <c>dotnet barman-wal.dll</c>.
/// Both are world-readable so that PostgreSQL's archive_command (the postgres user) can use them.
/// </summary>
/// <remarks>
/// <c>SSH_STANDIN_MANGLE</c> damages the stream in transit: <c>truncate:N</c> (first N bytes only),
/// <c>flip:N</c> (byte N xor 1), <c>gzip</c> (the tar gzipped). The stand-in then reads the client's
/// whole stream first, so the client never sees a broken pipe.
/// </remarks>
public sealed class SshStandIn : IDisposable
{
    private const string SshScript = """
        #!/bin/sh
        # stand-in for ssh: drop the options and user@host, run the remote command locally
        while [ $# -gt 0 ]; do
          case "$1" in
            -p) shift 2 ;;
            -q|-T) shift ;;
            *@*) shift; break ;;
            *) break ;;
          esac
        done
        if [ -z "${SSH_STANDIN_MANGLE:-}" ]; then
          exec sh -c "$*"
        fi
        tmp=$(mktemp)
        cat > "$tmp"
        case "$SSH_STANDIN_MANGLE" in
          truncate:*) head -c "${SSH_STANDIN_MANGLE#truncate:}" "$tmp" > "$tmp.x" ;;
          flip:*) python3 -c 'import sys; d = bytearray(open(sys.argv[1], "rb").read()); d[int(sys.argv[2])] ^= 1; open(sys.argv[1] + ".x", "wb").write(d)' "$tmp" "${SSH_STANDIN_MANGLE#flip:}" ;;
          gzip) gzip -1 -c "$tmp" > "$tmp.x" ;;
        esac
        sh -c "$*" < "$tmp.x"
        rc=$?
        rm -f "$tmp" "$tmp.x"
        exit $rc

        """;

    public SshStandIn()
    {
        BinDirectory = Directory.CreateTempSubdirectory("barman-wal-ssh-").FullName;
        File.SetUnixFileMode(BinDirectory, (UnixFileMode)0b111_101_101);
        Write("ssh", SshScript);
        Write("barman", $"#!/bin/sh\nexec '{ToolRunner.DotnetHost}' '{ToolRunner.ToolAssembly}' \"$@\"\n");
        Client = Prerequisites.Program("barman-wal-archive", "barman-cli");
    }

    /// <summary>The directory holding <c>ssh</c> and <c>barman</c>.</summary>
    public string BinDirectory { get; }

    /// <summary>The real <c>barman-wal-archive</c>.</summary>
    public string Client { get; }

    /// <summary>A PATH with the stand-ins first.</summary>
    public string SearchPath => $"{BinDirectory}:{Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin"}";

    /// <summary>Runs <c>barman-wal-archive -c CONFIG ARGS</c> with the stand-ins first in PATH.</summary>
    public Task<ProcessResult> ArchiveAsync(string config, IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var env = new Dictionary<string, string?>(environment ?? new Dictionary<string, string?>()) { ["PATH"] = SearchPath };
        return ProcessRunner.RunAsync(Client, ["-c", config, .. arguments], env, timeout: TimeSpan.FromSeconds(90));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(BinDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Write(string name, string text)
    {
        var path = Path.Combine(BinDirectory, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
    }
}
