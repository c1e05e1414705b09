namespace OrleansChat.WebFront.Tests;

public static class ProblemAssert
{
    /// <summary>Asserts the status and that the body is problem+json with a detail (and, for 422, errors naming <paramref name="field"/>).</summary>
    public static async Task<JsonElement> IsProblem(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        if (field is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var errors), $"no error for '{field}' in {body}");
            Assert.True(errors.GetArrayLength() > 0);
        }
        return problem;
    }
}
