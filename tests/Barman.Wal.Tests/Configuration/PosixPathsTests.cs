using Barman.Wal.Configuration;

namespace Barman.Wal.Tests.Configuration;

public sealed class PosixPathsTests : IDisposable
{
    private readonly ConfigSandbox _sandbox = new();

    public void Dispose() => _sandbox.Dispose();

    [Theory]
    [InlineData("~", "/home/u")]
    [InlineData("~/x.conf", "/home/u/x.conf")]
    [InlineData("/etc/barman.conf", "/etc/barman.conf")]
    [InlineData("relative/~/x", "relative/~/x")]
    [InlineData("~root/barman.d", "/root/barman.d")]
    [InlineData("~no_such_user_here/x", "~no_such_user_here/x")]
    public void ExpandUser_expands_like_python(string path, string expected)
    {
        PosixPaths.ExpandUser(path, "/home/u/").Should().Be(expected);
    }

    [Fact]
    public void RealPath_resolves_symlinks_dots_and_missing_tail()
    {
        var real = Path.Combine(_sandbox.Root, "real");
        Directory.CreateDirectory(Path.Combine(real, "sub"));
        File.CreateSymbolicLink(Path.Combine(_sandbox.Root, "abs"), real);
        File.CreateSymbolicLink(Path.Combine(_sandbox.Root, "rel"), "real/sub");

        PosixPaths.RealPath($"{_sandbox.Root}/abs/sub/../missing/x").Should().Be($"{real}/missing/x");
        PosixPaths.RealPath($"{_sandbox.Root}/rel/..").Should().Be(real);
        PosixPaths.RealPath($"{_sandbox.Root}/./real//sub/").Should().Be($"{real}/sub");
    }

    [Fact]
    public void RealPath_stops_on_symlink_loops()
    {
        File.CreateSymbolicLink(Path.Combine(_sandbox.Root, "loop"), Path.Combine(_sandbox.Root, "loop"));

        PosixPaths.RealPath($"{_sandbox.Root}/loop/x").Should().EndWith("/loop/x");
    }
}
