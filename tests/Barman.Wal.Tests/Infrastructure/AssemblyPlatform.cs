// The tests need Linux (PostgreSQL as the postgres OS user, runuser, unix file modes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
