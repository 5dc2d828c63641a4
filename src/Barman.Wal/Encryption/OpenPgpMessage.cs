namespace Barman.Wal.Encryption;

/// <summary>
/// Recognises a gpg-encrypted file from its first bytes: an OpenPGP message whose first packet is a
/// public-key encrypted session key (tag 1) of version 3 or 6 (spec: hooks-encryption §7). Unlike
/// Barman's <c>file --brief</c> probe this also recognises ECC (Curve25519) recipients.
/// </summary>
public static class OpenPgpMessage
{
    /// <summary>Bytes needed for detection.</summary>
    public const int HeaderLength = 8;

    /// <summary>True when <paramref name="header"/> starts a PKESK-led OpenPGP message.</summary>
    public static bool IsEncrypted(ReadOnlySpan<byte> header)
    {
        if (header.Length < 2)
            return false;
        var first = header[0];
        int bodyOffset;
        if (first is >= 0x84 and <= 0x87)
        {
            bodyOffset = (first & 0x03) switch
            {
                0 => 2,
                1 => 3,
                2 => 5,
                _ => 1,
            };
        }
        else if (first == 0xC1)
        {
            var length = header[1];
            bodyOffset = length switch
            {
                < 192 => 2,
                < 224 => 3,
                255 => 6,
                _ => 2,
            };
        }
        else
        {
            return false;
        }

        return header.Length > bodyOffset && header[bodyOffset] is 3 or 6;
    }
}
