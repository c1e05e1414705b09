using System.IO.Compression;
using System.Text;

namespace OrleansChat.WebClient.Tests;

/// <summary>Small real files made in memory for the attachment tests: a PNG a browser decodes, a PDF the server accepts.</summary>
internal static class SampleFiles
{
    /// <summary>A <paramref name="width"/> × <paramref name="height"/> RGB gradient as a valid PNG (zlib data, CRC-checked chunks).</summary>
    public static byte[] Png(int width, int height)
    {
        var raw = new byte[height * (1 + width * 3)];
        for (var y = 0; y < height; y++)
        {
            var row = y * (1 + width * 3); // each row starts with filter type 0 (none)
            for (var x = 0; x < width; x++)
            {
                raw[row + 1 + x * 3] = (byte)(40 + 180 * x / width);
                raw[row + 2 + x * 3] = (byte)(110 + 100 * y / height);
                raw[row + 3 + x * 3] = 235;
            }
        }
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(raw);
        }
        var header = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // colour type RGB
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", compressed.ToArray());
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    /// <summary>A one-page PDF padded with a comment to exactly <paramref name="size"/> bytes.</summary>
    public static byte[] Pdf(int size)
    {
        const string body = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n";
        const string end = "\n%%EOF\n";
        var padding = "%" + new string('x', size - body.Length - end.Length - 1);
        return Encoding.ASCII.GetBytes(body + padding + end);
    }

    private static void Chunk(Stream png, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        png.Write(number);
        var typeAndData = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typeAndData);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typeAndData));
        png.Write(number);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }
        return ~crc;
    }
}
