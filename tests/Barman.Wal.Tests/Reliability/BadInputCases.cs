using System.Text;

namespace Barman.Wal.Tests.Reliability;

/// <summary>One bad input: what the sandbox gets, the arguments, and the exit code barman-wal must give.</summary>
internal sealed record BadInput(string Label, int Exit, Action<BadInputSandbox> Setup, Func<BadInputSandbox, string[]>? Arguments = null, bool Corrupt = false)
{
    public string[] Args(BadInputSandbox s) => Arguments?.Invoke(s) ?? ["-c", s.ConfigPath, "archive-wal", "pg1"];

    public override string ToString() => Label;
}

/// <summary>The table of bad inputs (BadInputTests): 200+ rows in eight groups.</summary>
internal static class BadInputCases
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "compression");

    public static IReadOnlyList<BadInput> All { get; } = Build();

    private static List<BadInput> Build()
    {
        var cases = new List<BadInput>();
        ConfigSyntax(cases);
        OptionValues(cases);
        FileNames(cases);
        CompressedFiles(cases);
        WrongMagic(cases);
        DirectoriesAndLinks(cases);
        Cli(cases);
        return cases;
    }

    private static BadInput Config(string label, int exit, Action<BadInputSandbox> change) =>
        new("config: " + label, exit, s => { change(s); s.WriteConfig(); });

    private static BadInput Whole(string label, int exit, string text) =>
        Config(label, exit, s => s.WholeConfig = Encoding.UTF8.GetBytes(text.Replace("{home}", s.Home, StringComparison.Ordinal)));

    private static BadInput ServerLine(string label, int exit, string line) =>
        Config(label, exit, s => s.Server += line + "\n");

    private static void ConfigSyntax(List<BadInput> c)
    {
        c.Add(Whole("empty file", 1, ""));
        c.Add(Whole("only comments", 1, "# nothing\n; here\n"));
        c.Add(Whole("no [barman] section", 1, "[pg1]\nconninfo = x\narchiver = on\n"));
        c.Add(Whole("unterminated section header", 1, "[barman\nbarman_home = {home}\n"));
        c.Add(Whole("text before any section", 1, "barman_home = {home}\n[barman]\n"));
        c.Add(Whole("binary garbage", 1, "\u0001\u0002\u0003\u00ff\u00fe[[[==="));
        c.Add(Whole("NUL bytes in a path", 1, "[barman]\0\nbarman_home = {home}\0\n"));
        c.Add(Config("section [pg1 without bracket", 1, s => s.Server = s.Server.Replace("[pg1]", "[pg1", StringComparison.Ordinal)));
        c.Add(Config("empty section name []", 1, s => s.Tail = "[]\nx = 1\n"));
        c.Add(Config("duplicate [pg1] section (merged)", 0, s => s.Tail = "\n[pg1]\narchiver = off\n"));
        c.Add(Config("duplicate [barman] section (merged)", 0, s => s.Tail = "\n[barman]\nlog_level = INFO\n"));
        c.Add(ServerLine("duplicate key (last wins)", 0, "archiver = off"));
        c.Add(ServerLine("key without value separator", 1, "archiver"));
        c.Add(ServerLine("value without key", 1, "= on"));
        c.Add(ServerLine("only a separator", 1, "="));
        c.Add(ServerLine("colon separator", 0, "description: colon"));
        c.Add(ServerLine("continuation line", 0, "   continued description"));
        c.Add(ServerLine("tab before key", 0, "\tstreaming_archiver_batch_size = 2"));
        c.Add(ServerLine("unknown option", 0, "no_such_option = 1"));
        c.Add(ServerLine("upper-case option", 0, "ARCHIVER_BATCH_SIZE = 1"));
        c.Add(ServerLine("unicode key", 0, "archivér = on"));
        c.Add(ServerLine("key with spaces", 0, "archiver batch size = 1"));
        c.Add(ServerLine("interpolation left open", 1, "description = %(name"));
        c.Add(ServerLine("interpolation of a missing key", 1, "description = %(nope)s"));
        c.Add(ServerLine("bare percent", 1, "description = 100%"));
        c.Add(ServerLine("escaped percent (3.17 interpolates twice)", 1, "description = 100%%"));
        c.Add(Config("recursive interpolation", 1, s => s.Server += "a_one = %(a_two)s\na_two = %(a_one)s\ndescription = %(a_one)s\n"));
        c.Add(ServerLine("100k character value", 0, "description = " + new string('x', 100_000)));
        c.Add(ServerLine("inline comment after value", 0, "description = test ; not a comment in barman"));
        c.Add(Config("CRLF line endings", 0, s => { s.Global = s.Global.Replace("\n", "\r\n", StringComparison.Ordinal); s.Server = s.Server.Replace("\n", "\r\n", StringComparison.Ordinal); }));
        c.Add(Config("UTF-8 byte order mark", 0, s => s.Global = "\uFEFF" + s.Global));
        c.Add(Config("unicode section name", 0, s => s.Tail = "\n[sérveur]\nconninfo = x\n"));
        c.Add(Config("section named all", 1, s => s.Tail = "\n[all]\nconninfo = x\n"));
        c.Add(Config("section with spaces", 0, s => s.Tail = "\n[my server]\nconninfo = x\n"));
        c.Add(Config("barman_home missing", 0, s => s.Global = s.Global.Replace("barman_home = ", $"barman_home = {s.Root}/missing", StringComparison.Ordinal)));
        c.Add(Config("barman_home relative", 0, s => s.Global = s.Global.Replace($"barman_home = {s.Home}\n", "barman_home = relative/home\n", StringComparison.Ordinal)));
        c.Add(Config("log_file in a missing directory", 0, s => s.Global = s.Global.Replace("log_file = ", $"log_file = {s.Root}/missing/dir", StringComparison.Ordinal)));
        c.Add(Config("log_file is a directory", 0, s => s.Global = s.Global.Replace($"log_file = {s.Root}/barman.log", $"log_file = {s.Root}", StringComparison.Ordinal)));
        c.Add(Config("log_level bogus", 0, s => s.Global = s.Global.Replace("DEBUG", "CHATTY", StringComparison.Ordinal)));
        c.Add(Config("configuration_files_directory missing", 0, s => s.Global += $"configuration_files_directory = {s.Root}/missing/conf.d\n"));
        c.Add(Config("configuration_files_directory with a broken file", 1, s =>
        {
            var dir = Path.Combine(s.Root, "conf.d");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "broken.conf"), "[pg2\nconninfo = x\n");
            s.Global += $"configuration_files_directory = {dir}\n";
        }));
        c.Add(Config("server option in [barman]", 0, s => s.Global += "archiver_batch_size = 3\n"));
        c.Add(Config("barman-only option in a server", 0, s => s.Server += "barman_home = /elsewhere\n"));
        c.Add(new BadInput("config: config is a directory", 1, s => Directory.CreateDirectory(s.ConfigPath)));
        c.Add(new BadInput("config: missing file", 1, _ => { }, s => ["-c", s.ConfigPath + ".missing", "archive-wal", "pg1"]));
        c.Add(new BadInput("config: /dev/null", 1, _ => { }, _ => ["-c", "/dev/null", "archive-wal", "pg1"]));
        c.Add(new BadInput("config: config with mode 000", 0, s => { s.WriteConfig(); File.SetUnixFileMode(s.ConfigPath, UnixFileMode.None); }));
    }

    private static void OptionValues(List<BadInput> c)
    {
        (string Line, int Exit)[] values =
        [
            ("archiver = maybe", 0), ("archiver = 2", 0), ("archiver = ", 0), ("archiver = off", 0),
            ("archiver_batch_size = -1", 0), ("archiver_batch_size = abc", 0), ("archiver_batch_size = 1e3", 0),
            ("archiver_batch_size = 99999999999999999999", 0), ("archiver_batch_size = 1", 0),
            ("streaming_archiver = perhaps", 0), ("streaming_archiver_batch_size = -3", 0),
            ("compression = rar", 0), ("compression = GZIP", 0), ("compression = custom", 1),
            ("compression = custom\ncustom_compression_filter = /nonexistent-filter", 1),
            ("compression_level = ultra", 0), ("compression_level = 99", 0), ("compression_level = -5", 0),
            ("encryption = aes", 0), ("encryption = gpg", 1),
            ("custom_compression_magic = zz", 0), ("custom_compression_magic = 0x", 0),
            ("wals_directory = ", 0), ("incoming_wals_directory = /tmp/barman-wal-bad-input-missing/incoming", 0),
            ("errors_directory = %(incoming_wals_directory)s", 1), ("wals_directory = %(incoming_wals_directory)s", 1),
            ("xlogdb_directory = /proc/forbidden", 1), ("backup_directory = /dev/null", 0),
            ("last_wal_maximum_age = xyz", 0), ("last_backup_maximum_age = 3 fortnights", 0), ("max_incoming_wals_queue = -5", 0),
            ("wal_header_validation = perhaps", 0), ("wal_header_validation = off", 0),
            ("incomplete_wal_timeout = soon", 0), ("incomplete_wal_timeout = -5", 0), ("incomplete_wal_timeout = 0", 0),
            ("slot_name = Bad-Name!", 0), ("create_slot = sometimes", 0), ("active = nah", 0), ("active = off", 0),
            ("disabled = yes", 0), ("backup_options = foo", 0), ("retention_policy = bogus", 0), ("retention_policy_mode = never", 0),
                        ("model = true", 1), ("cluster = ", 0), ("check_timeout = -1", 0), ("pre_archive_script = /bin/true", 0),
            ("conninfo = ", 1), ("conninfo = host='unterminated", 0), ("conninfo = postgresql://u@h:notaport/db", 1),
            ("conninfo = host=h port=abc", 0), ("conninfo = = =", 0), ("conninfo = nokey", 1), ("conninfo = host=\u00e9\u00e8 dbname=\U0001F600", 0),
            ("streaming_conninfo = user=\"quoted\"", 0), ("primary_conninfo = host=x sslmode=bogus", 0),
            ("primary_ssh_command = ssh nowhere", 0),
        ];
        foreach (var (line, exit) in values)
            c.Add(new BadInput("option: " + line.Replace("\n", " + ", StringComparison.Ordinal), exit, s => { s.Server += line + "\n"; s.WriteConfig(); }));
    }

    private static void FileNames(List<BadInput> c)
    {
        string[] names =
        [
            "café.wal", "日本語のファイル", "\U0001F600\U0001F4A9", "with space", " leading-space", "trailing-space ", "a\tb",
            "new\nline", "000000010000000000000004\n", "-rf", "--help", "*", "?", "[x]", "$(touch pwned)", "`id`", "a;b", "a|b",
            "back\\slash", "'quote", "\"dquote", "%(name)s", "%s%n", "con", "NUL", "x.tmp", "000000010000000000000009.tmp",
            new string('w', 255), new string('9', 200) + ".history", "00000001000000000000000g", "00000001000000000000000", "0000000100000000000000044",
            "000000010000000000000005.partial", "000000010000000000000005.gz", "000000010000000000000007.0000002.backup",
            "00000001.HISTORY", "0000000G.history", "000000010000000000000004.", "ＦＵＬＬＷＩＤＴＨ", "\u200bzero-width", "\u202eright-to-left",
        ];
        foreach (var name in names)
        {
            var shown = name.Length > 40 ? name[..20] + $"...({name.Length} chars)" : name.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
            c.Add(new BadInput($"incoming name: {shown}", 0, s => { s.AddSource(name, Encoding.UTF8.GetBytes("odd " + name)); s.WriteConfig(); }));
        }

        c.Add(new BadInput("incoming name: lower-case hex segment", 0, s =>
        {
            s.AddSource("0000000100000000000000ab", File.ReadAllBytes(Path.Combine(Fixtures, "raw", BadInputSandbox.Segment)));
            s.WriteConfig();
        }));
        c.Add(new BadInput("incoming name: empty .partial", 0, s => { s.AddSource("000000010000000000000006.partial", []); s.WriteConfig(); }));
        c.Add(new BadInput("incoming name: 0-byte .backup", 0, s => { s.AddSource("000000010000000000000007.00000028.backup", []); s.WriteConfig(); }));
        c.Add(new BadInput("incoming name: garbage .history", 0, s => { s.AddSource("00000003.history", [0xff, 0x00, 0x13]); s.WriteConfig(); }));
    }

    private static void CompressedFiles(List<BadInput> c)
    {
        foreach (var path in Directory.GetFiles(Path.Combine(Fixtures, "segment")).Order(StringComparer.Ordinal))
        {
            var file = Path.GetFileName(path);
            var bytes = File.ReadAllBytes(path);
            Add($"{file} truncated to half", bytes[..(bytes.Length / 2)], true);
            Add($"{file} truncated to 12 bytes", bytes[..12], true);
            Add($"{file} without its last 8 bytes", bytes[..^8], true);
            Add($"{file} garbled after the magic", Garble(bytes, 6, 64), true);
            Add($"{file} garbled in the middle", Garble(bytes, bytes.Length / 2, 4096), false); // caught only where the codec has a checksum
        }

        void Add(string label, byte[] content, bool corrupt) =>
            c.Add(new BadInput("compressed: " + label, 0, s => { s.ReplaceSegment(content); s.WriteConfig(); }, Corrupt: corrupt));
    }

    private static byte[] Garble(byte[] source, int offset, int length)
    {
        var copy = (byte[])source.Clone();
        var random = new Random(offset);
        for (var i = offset; i < Math.Min(copy.Length, offset + length); i++)
            copy[i] = (byte)random.Next(256);
        return copy;
    }

    private static void WrongMagic(List<BadInput> c)
    {
        var real = File.ReadAllBytes(Path.Combine(Fixtures, "raw", BadInputSandbox.Segment));
        (string Label, byte[] Content)[] variants =
        [
            ("magic 0x0000", Patch(real, 0, 0x00, 0x00)), ("magic 0xFFFF", Patch(real, 0, 0xff, 0xff)),
            ("magic of PG 9.6 (0xD093)", Patch(real, 0, 0x93, 0xd0)), ("byte-swapped magic", Patch(real, 0, 0xd1, 0x10)),
            ("all zeros", new byte[real.Length]), ("all 0xFF", Enumerable.Repeat((byte)0xff, real.Length).ToArray()),
            ("text file", Encoding.ASCII.GetBytes(new string('t', real.Length))), ("ELF header", Patch(real, 0, 0x7f, 0x45, 0x4c, 0x46)),
            ("gzip magic then WAL", Patch(real, 0, 0x1f, 0x8b)), ("bzip2 magic then WAL", Patch(real, 0, 0x42, 0x5a, 0x68)),
            ("xz magic then WAL", Patch(real, 0, 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)), ("zstd magic then WAL", Patch(real, 0, 0x28, 0xb5, 0x2f, 0xfd)),
            ("lz4 magic then WAL", Patch(real, 0, 0x04, 0x22, 0x4d, 0x18)), ("snappy magic then WAL", Patch(real, 0, 0xff, 0x06, 0x00, 0x00, 0x73, 0x4e, 0x61, 0x50, 0x70, 0x59)),
            ("short header flag cleared", Patch(real, 2, 0x05)), ("timeline 0", Patch(real, 4, 0x00)), ("timeline 9", Patch(real, 4, 0x09)),
            ("pageaddr of segment 5", Patch(real, 11, 0x05)), ("segment size 3 MiB", Patch(real, 32, 0x00, 0x00, 0x30, 0x00)),
            ("block size 0", Patch(real, 36, 0x00, 0x00)), ("one byte", [0xd1]), ("39 bytes of header", real[..39]), ("header only", real[..40]),
        ];
        foreach (var (label, content) in variants)
            c.Add(new BadInput("segment: " + label, 0, s => { s.ReplaceSegment(content); s.WriteConfig(); }, Corrupt: true));
    }

    private static byte[] Patch(byte[] source, int offset, params byte[] bytes)
    {
        var copy = (byte[])source.Clone();
        bytes.CopyTo(copy, offset);
        return copy;
    }

    private static void DirectoriesAndLinks(List<BadInput> c)
    {
        void Add(string label, Action<BadInputSandbox> setup) => c.Add(new BadInput("entry: " + label, 0, s => { setup(s); s.WriteConfig(); }));
        Add("directory named as a segment", s => Directory.CreateDirectory(Path.Combine(s.Incoming, "000000010000000000000005")));
        Add("directory with files", s => { Directory.CreateDirectory(Path.Combine(s.Incoming, "sub")); File.WriteAllText(Path.Combine(s.Incoming, "sub", "f"), "x"); });
        Add("empty directory", s => Directory.CreateDirectory(Path.Combine(s.Incoming, "empty")));
        Add("symlink to the segment outside", s =>
        {
            var outside = Path.Combine(s.Root, "outside-000000010000000000000006");
            File.Copy(Path.Combine(Fixtures, "raw", BadInputSandbox.Segment), outside);
            File.CreateSymbolicLink(Path.Combine(s.Incoming, "000000010000000000000006"), outside);
        });
        Add("broken symlink named as a segment", s => File.CreateSymbolicLink(Path.Combine(s.Incoming, "000000010000000000000005"), "/nonexistent/target"));
        Add("symlink loop", s => File.CreateSymbolicLink(Path.Combine(s.Incoming, "000000010000000000000005"), Path.Combine(s.Incoming, "000000010000000000000005")));
        Add("symlink to a directory", s => Directory.CreateSymbolicLink(Path.Combine(s.Incoming, "000000010000000000000005"), s.Root));
        Add("symlink to /dev/null", s => File.CreateSymbolicLink(Path.Combine(s.Incoming, "000000010000000000000005"), "/dev/null"));
        Add("symlink to /etc/passwd", s => File.CreateSymbolicLink(Path.Combine(s.Incoming, "000000010000000000000005"), "/etc/passwd"));
        Add("fifo named as a segment", s => MakeFifo(Path.Combine(s.Incoming, "000000010000000000000005")));
        Add("hidden file", s => File.WriteAllText(Path.Combine(s.Incoming, ".hidden"), "x"));
        Add("segment with mode 000", s => File.SetUnixFileMode(Path.Combine(s.Incoming, BadInputSandbox.Segment), UnixFileMode.None));
        Add("incoming is a file", s => { s.Forget(); Directory.Delete(s.Incoming, recursive: true); File.WriteAllText(s.Incoming, "not a directory"); });
        Add("incoming missing", s => { s.Forget(); Directory.Delete(s.Incoming, recursive: true); });
        Add("errors is a file", s => File.WriteAllText(s.Errors, "not a directory"));
        Add("identity.json malformed", s => File.WriteAllText(Path.Combine(s.Home, "pg1", "identity.json"), "{not json"));
        Add("identity.json with a non-numeric systemid", s => File.WriteAllText(Path.Combine(s.Home, "pg1", "identity.json"), "{\"systemid\": \"abc\"}"));
        Add("barman-wal-identity.json is a directory", s => Directory.CreateDirectory(Path.Combine(s.Home, "pg1", "barman-wal-identity.json")));
        Add("catalog with a garbage line", s =>
        {
            Directory.CreateDirectory(Path.Combine(s.Home, "pg1", "wals"));
            File.WriteAllText(Path.Combine(s.Home, "pg1", "wals", "pg1-xlog.db"), "garbage\n");
        });
    }

    private static void MakeFifo(string path)
    {
        var result = Infrastructure.ProcessRunner.RunAsync(Infrastructure.Prerequisites.Program("mkfifo", "coreutils"), [path]).GetAwaiter().GetResult();
        if (result.ExitCode != 0)
            throw new InvalidOperationException(result.ToString());
    }

    private static void Cli(List<BadInput> c)
    {
        void Add(string label, int exit, Func<BadInputSandbox, string[]> args) => c.Add(new BadInput("cli: " + label, exit, s => s.WriteConfig(), args));
        Add("no arguments", 2, _ => []);
        Add("unknown verb", 2, s => ["-c", s.ConfigPath, "make-coffee"]);
        Add("unknown option", 2, s => ["-c", s.ConfigPath, "--frobnicate", "archive-wal", "pg1"]);
        Add("unknown verb option", 2, s => ["-c", s.ConfigPath, "archive-wal", "--frobnicate", "pg1"]);
        Add("-c without a value", 2, _ => ["archive-wal", "pg1", "-c"]);
        Add("-f without a value", 2, s => ["-c", s.ConfigPath, "archive-wal", "pg1", "-f"]);
        Add("-f xml", 2, s => ["-c", s.ConfigPath, "-f", "xml", "archive-wal", "pg1"]);
        Add("-f JSON upper-case", 2, s => ["-c", s.ConfigPath, "-f", "JSON", "archive-wal", "pg1"]);
        Add("-f empty", 2, s => ["-c", s.ConfigPath, "-f", "", "archive-wal", "pg1"]);
        Add("--color purple", 2, s => ["-c", s.ConfigPath, "--color", "purple", "archive-wal", "pg1"]);
        Add("--log-level without a value", 2, s => ["-c", s.ConfigPath, "archive-wal", "pg1", "--log-level"]);
        Add("archive-wal without a server", 2, s => ["-c", s.ConfigPath, "archive-wal"]);
        Add("archive-wal all (barman-wal: every server)", 0, s => ["-c", s.ConfigPath, "archive-wal", "all"]);
        Add("archive-wal unknown server", 1, s => ["-c", s.ConfigPath, "archive-wal", "nosuch"]);
        Add("archive-wal empty server name", 1, s => ["-c", s.ConfigPath, "archive-wal", ""]);
        Add("archive-wal server with a slash", 1, s => ["-c", s.ConfigPath, "archive-wal", "../pg1"]);
        Add("archive-wal unicode server", 1, s => ["-c", s.ConfigPath, "archive-wal", "sérveur\U0001F600"]);
        Add("archive-wal 10k character server", 1, s => ["-c", s.ConfigPath, "archive-wal", new string('s', 10_000)]);
        Add("archive-wal the same server twice", 0, s => ["-c", s.ConfigPath, "archive-wal", "pg1", "pg1"]);
        Add("options after -- (argparse: a server name)", 2, s => ["-c", s.ConfigPath, "archive-wal", "--", "-q"]);
        Add("verb given twice (a server named archive-wal)", 1, s => ["-c", s.ConfigPath, "archive-wal", "archive-wal", "pg1"]);
        Add("-c given twice", 2, s => ["-c", "/nonexistent.conf", "-c", s.ConfigPath, "archive-wal", "pg1"]);
        Add("-q -q", 0, s => ["-q", "-q", "-c", s.ConfigPath, "archive-wal", "pg1"]);
        Add("-d with an unknown server", 1, s => ["-d", "-c", s.ConfigPath, "archive-wal", "nosuch"]);
        Add("-f json with an unknown server", 1, s => ["-f", "json", "-c", s.ConfigPath, "archive-wal", "nosuch"]);
        Add("--version with a verb", 0, s => ["--version", "-c", s.ConfigPath, "archive-wal", "pg1"]);
        Add("only -q", 2, _ => ["-q"]);
        Add("a lone dash", 2, _ => ["-"]);
        Add("a NUL in an argument", 1, s => ["-c", s.ConfigPath, "archive-wal", "pg\01"]);
        Add("newline in a server name", 1, s => ["-c", s.ConfigPath, "archive-wal", "pg1\nrm"]);
    }
}
