namespace Barman.Wal.Tests.Infrastructure;

/// <summary>A program or package the tests need is not installed; the message names it.</summary>
public sealed class PrerequisiteMissingException(string message) : Exception(message);
