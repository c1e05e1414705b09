using OrleansChat.Silo.Hosting;

var migrateOnly = args.Contains("--migrate-only");
var app = ChatSiloHost.Build([.. args.Where(a => a != "--migrate-only")]);
var options = app.Services.GetRequiredService<SiloOptions>();
if (migrateOnly || options.MigrateOnStart)
{
    await ChatSiloHost.MigrateAsync(app.Configuration, app.Logger);
}
if (!migrateOnly)
{
    await app.RunAsync();
}
