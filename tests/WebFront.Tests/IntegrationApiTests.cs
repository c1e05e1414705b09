namespace OrleansChat.WebFront.Tests;

[Collection(StackCollection.Name)]
public sealed class IntegrationApiTests(ChatStack stack)
{
    [Fact]
    public async Task Dispute_payment_and_job_update_post_typed_messages_and_outbox_events()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        using var asClient = stack.Http(client.Token);
        using var asFreelancer = stack.Http(freelancer.Token);

        var payment = await asClient.PostAsJsonAsync($"api/chat/threads/{threadId}/initiate-payment/", new { amount = "120.5", description = "milestone 1" });
        Assert.Equal(HttpStatusCode.Created, payment.StatusCode);
        var paid = await payment.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("payment", paid.GetProperty("message_type").GetString());
        Assert.Equal("Payment initiated: 120.50 USD", paid.GetProperty("message").GetString());
        var metadata = paid.GetProperty("metadata");
        Assert.Equal(("120.50", "USD", "milestone 1", "initiated"),
            (metadata.GetProperty("amount").GetString(), metadata.GetProperty("currency").GetString(), metadata.GetProperty("description").GetString(), metadata.GetProperty("status").GetString()));

        var dispute = await asFreelancer.PostAsJsonAsync($"api/chat/threads/{threadId}/create-dispute/", new { reason = "Late delivery" });
        Assert.Equal(HttpStatusCode.Created, dispute.StatusCode);
        var disputed = await dispute.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Dispute opened: Late delivery", disputed.GetProperty("message").GetString());
        Assert.Equal("open", disputed.GetProperty("metadata").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, disputed.GetProperty("metadata").GetProperty("description").ValueKind);

        var job = await asFreelancer.PostAsJsonAsync($"api/chat/threads/{threadId}/job-update/", new { status = "in_progress", note = "started" });
        Assert.Equal(HttpStatusCode.Created, job.StatusCode);
        Assert.Equal("Job status: in_progress", (await job.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("message").GetString());

        var events = await stack.Database.ScalarAsync<string>(
            "SELECT string_agg(event_type || ':' || (message_id IS NOT NULL)::text, ',' ORDER BY created_at) FROM chat_integration_events WHERE thread_id = @t", ("t", threadId));
        Assert.Equal("payment_initiated:true,dispute_opened:true,job_updated:true", events);
        var linked = await stack.Database.ScalarAsync<long>(
            "SELECT count(*) FROM chat_integration_events e JOIN chat_messages m ON m.id = e.message_id WHERE e.thread_id = @t", ("t", threadId));
        Assert.Equal(3, linked);
    }

    [Fact]
    public async Task Only_the_threads_client_pays_and_amounts_are_checked()
    {
        var (client, freelancer, threadId) = await ChatApi.NewThreadAsync(stack);
        using var asFreelancer = stack.Http(freelancer.Token);
        await ProblemAssert.IsProblem(await asFreelancer.PostAsJsonAsync($"api/chat/threads/{threadId}/initiate-payment/", new { amount = "10.00" }), HttpStatusCode.Forbidden);
        using var asClient = stack.Http(client.Token);
        var path = $"api/chat/threads/{threadId}/initiate-payment/";
        foreach (var bad in new object[] { "-5.00", "0", "1.234", "abc", "" })
        {
            await ProblemAssert.IsProblem(await asClient.PostAsJsonAsync(path, new { amount = bad }), HttpStatusCode.UnprocessableEntity, "amount");
        }
        await ProblemAssert.IsProblem(await asClient.PostAsJsonAsync(path, new { amount = -3 }), HttpStatusCode.UnprocessableEntity, "amount");
        await ProblemAssert.IsProblem(await asClient.PostAsJsonAsync(path, new { amount = "3.00", currency = "usd" }), HttpStatusCode.UnprocessableEntity, "currency");
        await ProblemAssert.IsProblem(await asClient.PostAsJsonAsync($"api/chat/threads/{threadId}/job-update/", new { status = "done" }), HttpStatusCode.UnprocessableEntity, "status");
        await ProblemAssert.IsProblem(await asClient.PostAsJsonAsync($"api/chat/threads/{threadId}/create-dispute/", new { description = "no reason" }), HttpStatusCode.UnprocessableEntity, "reason");
        Assert.Equal(0, await stack.Database.ScalarAsync<long>("SELECT count(*) FROM chat_integration_events WHERE thread_id = @t", ("t", threadId)));
    }
}
