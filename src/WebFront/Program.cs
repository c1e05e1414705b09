using Microsoft.Extensions.Options;
using OrleansChat.GrainInterfaces.Configuration;
using OrleansChat.WebFront.Hosting;

try
{
    await ChatFrontHost.Build(args).RunAsync();
    return 0;
}
catch (Exception e) when (e is OptionsValidationException or InvalidSettingsException)
{
    // A bad setting stops the front with one line an operator can act on, not a stack trace.
    await Console.Error.WriteLineAsync("error: " + (e is OptionsValidationException o ? ValidatedSettings.Describe(o) : e.Message));
    return 1;
}

/// <summary>The entry point's type, for test hosts.</summary>
public partial class Program;
