using System.Text;
using OrleansChat.WebFront.Attachments;

namespace OrleansChat.UnitTests.Attachments;

/// <summary>Spec §8's content type rule: six types may be kept, each only when the bytes confirm it.</summary>
public sealed class ContentSnifferTests
{
    private static string Decide(string? declared, params byte[][] reads)
    {
        var sniffer = new ContentSniffer();
        foreach (var read in reads)
        {
            sniffer.Append(read);
        }
        sniffer.Finish();
        return sniffer.Decide(declared);
    }

    [Theory]
    [InlineData("image/png", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2 }, "image/png")]
    [InlineData("IMAGE/PNG", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "image/png")]
    [InlineData("image/png", new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "application/octet-stream")]
    [InlineData("image/jpeg", new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, "image/jpeg")]
    [InlineData("image/gif", new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'9', (byte)'a' }, "image/gif")]
    [InlineData("image/gif", new byte[] { (byte)'G', (byte)'I', (byte)'F', (byte)'8', (byte)'8', (byte)'a' }, "application/octet-stream")]
    [InlineData("image/webp", new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'E', (byte)'B', (byte)'P' }, "image/webp")]
    [InlineData("image/webp", new byte[] { (byte)'R', (byte)'I', (byte)'F', (byte)'F', 0, 0, 0, 0, (byte)'W', (byte)'A', (byte)'V', (byte)'E' }, "application/octet-stream")]
    [InlineData("application/pdf", new byte[] { (byte)'%', (byte)'P', (byte)'D', (byte)'F', (byte)'-', (byte)'1' }, "application/pdf")]
    [InlineData("image/svg+xml", new byte[] { (byte)'<', (byte)'s', (byte)'v', (byte)'g' }, "application/octet-stream")]
    [InlineData("text/html", new byte[] { (byte)'<', (byte)'b', (byte)'>' }, "application/octet-stream")]
    [InlineData(null, new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, "application/octet-stream")]
    [InlineData("not a type", new byte[] { 1 }, "application/octet-stream")]
    public void Signatures_confirm_the_declared_type(string? declared, byte[] bytes, string expected) =>
        Assert.Equal(expected, Decide(declared, bytes));

    [Fact]
    public void A_signature_split_across_reads_still_counts()
    {
        Assert.Equal("image/png", Decide("image/png", [0x89, 0x50, 0x4E], [0x47, 0x0D, 0x0A, 0x1A], [0x0A, 9, 9]));
    }

    [Fact]
    public void Text_must_be_well_formed_UTF8_without_NUL_over_the_whole_file()
    {
        var euro = Encoding.UTF8.GetBytes("Preis: 120 €");
        Assert.Equal("text/plain", Decide("text/plain; charset=utf-8", euro));
        // The € (E2 82 AC) split between two reads is still one character.
        Assert.Equal("text/plain", Decide("text/plain", euro[..^2], euro[^2..]));
        Assert.Equal("text/plain", Decide("text/plain", []));
        Assert.Equal("application/octet-stream", Decide("text/plain", Encoding.UTF8.GetBytes("a\0b")));
        Assert.Equal("application/octet-stream", Decide("text/plain", [(byte)'o', (byte)'k', 0xC3, 0x28]));
        // A sequence cut off by the end of the file.
        Assert.Equal("application/octet-stream", Decide("text/plain", euro[..^1]));
        // Bad bytes far from the start are found too.
        Assert.Equal("application/octet-stream", Decide("text/plain", Encoding.UTF8.GetBytes(new string('a', 100_000)), [0xFF]));
    }

    [Fact]
    public void Only_the_four_image_types_are_shown_inline()
    {
        Assert.True(ContentSniffer.IsInlineImage("image/webp"));
        Assert.False(ContentSniffer.IsInlineImage("application/pdf"));
        Assert.False(ContentSniffer.IsInlineImage("application/octet-stream"));
    }
}
