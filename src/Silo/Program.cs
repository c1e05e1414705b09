using Microsoft.Extensions.Options;
using OrleansChat.GrainInterfaces.Configuration;
using OrleansChat.Grains.Hosting;
using OrleansChat.Silo.Hosting;

try
{
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
    return 0;
}
catch (Exception e) when (e is OptionsValidationException or InvalidSettingsException)
{
    // A bad setting stops the silo with one line an operator can act on, not a stack trace.
    await Console.Error.WriteLineAsync("error: " + (e is OptionsValidationException o ? ValidatedSettings.Describe(o) : e.Message));
    return 1;
}
