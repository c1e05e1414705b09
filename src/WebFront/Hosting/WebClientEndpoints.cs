using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;
using OrleansChat.WebFront.Http;
using OrleansChat.WebFront.Identity;

namespace OrleansChat.WebFront.Hosting;

/// <summary>
/// The browser client served at /app/: the Vite build from ClientApp/ (copied next to the assembly as wwwroot/app by
/// the build), with a fallback to index.html so deep links such as /app/threads/42 load the app.
/// </summary>
public static class WebClientEndpoints
{
    public const string Section = "WebClient";

    // Scripts, styles and connections only from this origin: even a rendering bug could not run injected markup.
    // Images also from blob: URLs, which only this origin's own script can make: attachments need the bearer token,
    // so the client fetches them and shows the bytes from memory (an <img src> cannot send the header).
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    public static WebApplication MapChatWebClient(this WebApplication app)
    {
        if (app.Environment.IsDevelopment())
        {
            app.MapDevTokens(app.Configuration.GetSection(JwtOptions.Section).Get<JwtOptions>() ?? new JwtOptions());
        }

        var root = ClientRoot(app.Configuration);
        if (root is null)
        {
            app.Logger.LogWarning("The web client is not built (no wwwroot/app/index.html); /app/ answers 404.");
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = "/app",
            FileProvider = files,
            OnPrepareResponse = context => SetHeaders(context.Context, context.File.Name),
        });
        Task Index(HttpContext context)
        {
            SetHeaders(context, "index.html");
            context.Response.ContentType = "text/html; charset=utf-8";
            return context.Response.SendFileAsync(files.GetFileInfo("index.html"));
        }
        // Routing ignores a trailing slash, so /app and /app/ meet here; relative asset URLs need the slash.
        app.MapGet("/app", context => context.Request.Path.Value!.EndsWith('/') ? Index(context) : Redirect(context)).ExcludeFromDescription();
        // Client-side routes (/app/threads/42) get the app; a missing file (a path with an extension) stays 404.
        app.MapFallback("/app/{**path:nonfile}", Index).ExcludeFromDescription();
        return app;
    }

    /// <summary>WebClient:Root when configured, else wwwroot/app beside the assembly (where the build puts it).</summary>
    private static string? ClientRoot(IConfiguration configuration)
    {
        var root = configuration[$"{Section}:Root"] is { Length: > 0 } configured
            ? Path.GetFullPath(configured)
            : Path.Combine(AppContext.BaseDirectory, "wwwroot", "app");
        return File.Exists(Path.Combine(root, "index.html")) ? root : null;
    }

    private static Task Redirect(HttpContext context)
    {
        context.Response.Redirect("/app/" + context.Request.QueryString);
        return Task.CompletedTask;
    }

    private static void SetHeaders(HttpContext context, string fileName)
    {
        var headers = context.Response.Headers;
        // Vite names assets by content hash, so they never change; index.html must always be fetched fresh.
        headers[HeaderNames.CacheControl] = fileName == "index.html" ? "no-cache" : "public, max-age=31536000, immutable";
        headers["X-Content-Type-Options"] = "nosniff";
        if (fileName == "index.html")
        {
            headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
            headers["Referrer-Policy"] = "no-referrer";
        }
    }
}
