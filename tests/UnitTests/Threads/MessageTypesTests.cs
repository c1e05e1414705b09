namespace OrleansChat.UnitTests.Threads;

public sealed class MessageTypesTests
{
    private static readonly Caller Client = new(1, "client1", UserRole.Client);
    private static readonly Caller Freelancer = new(2, "freelancer1", UserRole.Freelancer);
    private static readonly Caller Service = new(3, "marketplace", UserRole.Service);

    [Theory]
    [InlineData(MessageTypes.Text, false, null)]
    [InlineData(MessageTypes.System, false, ChatErrorKind.Forbidden)]
    [InlineData(MessageTypes.Payment, false, ChatErrorKind.Invalid)]
    [InlineData(MessageTypes.Dispute, true, null)]
    [InlineData("html", false, ChatErrorKind.Invalid)]
    public void Who_may_post_what(string type, bool fromIntegration, ChatErrorKind? refused) =>
        Assert.Equal(refused, MessageTypes.Refusal(type, Client, fromIntegration)?.Kind);

    [Fact]
    public void Service_accounts_post_system_messages() => Assert.Null(MessageTypes.Refusal(MessageTypes.System, Service, false));

    [Fact]
    public void Only_the_threads_client_initiates_a_payment()
    {
        var integration = new IntegrationEventDraft("payment_initiated", "{}");
        MessageTypes.CheckMayPost(new SendCommand(Client, "pay", MessageTypes.Payment, null, null) { IntegrationEvent = integration }, threadClientId: 1);

        var refused = Assert.Throws<ChatException>(() =>
            MessageTypes.CheckMayPost(new SendCommand(Freelancer, "pay", MessageTypes.Payment, null, null) { IntegrationEvent = integration }, threadClientId: 1));
        Assert.Equal(ChatErrorKind.Forbidden, refused.Kind);
    }
}
