using System.Text;

namespace Barman.Wal.Receiving;

/// <summary>
/// The checksum files of a put-wal stream (<c>MD5SUMS</c>, <c>SHA256SUMS</c>) merged into one ordered
/// map of file name → expected hex digest (spec: put-wal §3.1 step 4).
/// </summary>
/// <remarks>
/// A line is <c>&lt;hex&gt; *&lt;name&gt;</c> or <c>&lt;hex&gt;  &lt;name&gt;</c> (binary or text output
/// of md5sum/sha256sum): it is split at the first space followed by a space or <c>*</c>. A later line for
/// the same name wins; names keep the order of their first appearance. If a member named
/// <c>MD5SUMS</c> occurs anywhere, every file is checked with MD5, else with SHA-256.
/// </remarks>
public sealed class ChecksumManifest
{
    /// <summary>The member name of the MD5 checksum file (Barman clients up to 3.x by default).</summary>
    public const string Md5FileName = "MD5SUMS";

    /// <summary>The member name of the SHA-256 checksum file (3.17 clients without <c>--md5</c>).</summary>
    public const string Sha256FileName = "SHA256SUMS";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly List<string> _order = [];
    private readonly Dictionary<string, string> _expected = new(StringComparer.Ordinal);

    /// <summary>True when the stream had an <c>MD5SUMS</c> member: MD5 is the algorithm for every file.</summary>
    public bool UsesMd5 { get; private set; }

    /// <summary>The names with an expected digest, in order of first appearance.</summary>
    public IReadOnlyList<string> Names => _order;

    /// <summary>True for the two member names that are checksum files, never written to disk.</summary>
    public static bool IsChecksumFile(string memberName) => memberName is Md5FileName or Sha256FileName;

    /// <summary>The expected digest of <paramref name="name"/>, or null when none was given.</summary>
    public string? ExpectedFor(string name) => _expected.GetValueOrDefault(name);

    /// <summary>Adds the content of one checksum member; returns the lines that could not be split.</summary>
    /// <exception cref="InvalidDataException">The content is not UTF-8.</exception>
    public IReadOnlyList<string> Add(string memberName, ReadOnlySpan<byte> content)
    {
        if (memberName == Md5FileName)
            UsesMd5 = true;
        string text;
        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"'utf-8' codec can't decode the checksum file '{memberName}': {e.Message}", e);
        }

        var bad = new List<string>();
        var lines = text.Split('\n');
        var count = text.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            var line = lines[i].TrimEnd();
            var split = SplitPoint(line);
            if (split < 0)
            {
                bad.Add(line);
                continue;
            }

            var name = line[(split + 2)..];
            if (name.StartsWith("./", StringComparison.Ordinal))
                name = name[2..];
            if (!_expected.ContainsKey(name))
                _order.Add(name);
            _expected[name] = line[..split];
        }

        return bad;
    }

    private static int SplitPoint(string line)
    {
        for (var i = 0; i + 1 < line.Length; i++)
        {
            if (line[i] == ' ' && line[i + 1] is ' ' or '*')
                return i;
        }

        return -1;
    }
}
