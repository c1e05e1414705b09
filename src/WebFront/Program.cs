using OrleansChat.WebFront.Hosting;

await ChatFrontHost.Build(args).RunAsync();

/// <summary>The entry point's type, for test hosts.</summary>
public partial class Program;
