using OrleansChat.Grains.Storage;

namespace OrleansChat.UnitTests.Storage;

/// <summary>Rows PostgreSQL would refuse while binding are found before any SQL is sent (npgsql#6391).</summary>
public sealed class BindableTextTests
{
    private static readonly Caller Sender = new(1, "client1", UserRole.Client);

    [Fact]
    public void Clean_rows_bind()
    {
        var rows = new[] { Row("hello"), Row("ünïcödé 😀", metadata: "{\"a\":\"x\\u0000y\"}") };
        // The escaped \u0000 is six ASCII characters: PostgreSQL refuses it at execution, which keeps the protocol in step.
        Assert.Null(BindableText.FirstProblem(rows));
    }

    [Theory]
    [InlineData("text", "message")]
    [InlineData("metadata", "metadata")]
    [InlineData("client_message_id", "client_message_id")]
    [InlineData("username", "message")]
    [InlineData("event", "message")]
    public void A_NUL_anywhere_a_row_binds_text_is_found(string where, string field)
    {
        var nul = "a\0b";
        var row = where switch
        {
            "text" => Row(nul),
            "metadata" => Row("x", metadata: "{\"a\":\"" + nul + "\"}"),
            "client_message_id" => Row("x") with { ClientMessageId = nul },
            "username" => Row("x") with { Sender = Sender with { Username = nul } },
            _ => Row("x") with { Event = new OutboxEvent(Guid.NewGuid(), "dispute_opened", "{\"r\":\"" + nul + "\"}") },
        };
        Assert.Equal(field, BindableText.FirstProblem([Row("fine"), row]));
    }

    private static NewMessage Row(string text, string? metadata = null) =>
        new(1, 1, Sender, text, "text", metadata, null, DateTime.UtcNow, null);
}
