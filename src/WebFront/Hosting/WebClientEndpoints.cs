namespace OrleansChat.WebFront.Hosting;

/// <summary>The browser client served at /app/.</summary>
public static class WebClientEndpoints
{
    public static WebApplication MapChatWebClient(this WebApplication app) => app;
}
