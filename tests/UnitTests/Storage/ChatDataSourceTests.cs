using Npgsql;
using OrleansChat.Grains.Storage;

namespace OrleansChat.UnitTests.Storage;

/// <summary>The silo's pools are capped and named, but an operator's own connection string settings win.</summary>
public sealed class ChatDataSourceTests
{
    private const string Plain = "Host=127.0.0.1;Port=5432;Database=chat;Username=u;Password=p";

    [Fact]
    public void A_plain_connection_string_gets_the_configured_cap_and_a_name()
    {
        var pooled = new NpgsqlConnectionStringBuilder(ChatDataSource.Pooled(Plain, 16, "orleanschat-silo"));
        Assert.Equal(16, pooled.MaxPoolSize);
        Assert.Equal("orleanschat-silo", pooled.ApplicationName);
        Assert.Equal("chat", pooled.Database);
        Assert.Equal("p", pooled.Password);
    }

    [Theory]
    [InlineData("Maximum Pool Size=40")]
    [InlineData("MaxPoolSize=40")]
    [InlineData("maximum pool size=40")]
    public void A_pool_size_in_the_connection_string_is_kept(string setting)
    {
        var pooled = new NpgsqlConnectionStringBuilder(ChatDataSource.Pooled($"{Plain};{setting};Application Name=ops", 16, "orleanschat-silo"));
        Assert.Equal(40, pooled.MaxPoolSize);
        Assert.Equal("ops", pooled.ApplicationName);
    }

    [Fact]
    public void Search_never_opens_more_than_its_own_cap_nor_more_than_the_silos()
    {
        using var wide = ChatDataSource.CreateForSearch(Plain, 100);
        Assert.Equal(20, new NpgsqlConnectionStringBuilder(wide.ConnectionString).MaxPoolSize);
        using var narrow = ChatDataSource.CreateForSearch(Plain, 8);
        Assert.Equal(8, new NpgsqlConnectionStringBuilder(narrow.ConnectionString).MaxPoolSize);
        using var chat = ChatDataSource.Create(Plain, 12);
        var settings = new NpgsqlConnectionStringBuilder(chat.ConnectionString);
        Assert.Equal(12, settings.MaxPoolSize);
        Assert.Equal("orleanschat-silo", settings.ApplicationName);
    }
}
