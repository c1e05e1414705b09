using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.Grains.Fronts;

/// <summary>How a silo gathers its one-way calls to the fronts (section "Chat:FrontCalls").</summary>
public sealed class FrontCallOptions
{
    public const string Section = "Chat:FrontCalls";

    /// <summary>
    /// How long thread batches and user events for one front gather before they go out as one call; zero sends every
    /// publish on its own at once. Live delivery waits up to this long longer (the default costs ~5 ms).
    /// </summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>A front's gathered items that make the silo send at once, without waiting for the window to end.</summary>
    public int MaxItems { get; set; } = 256;

    public static SettingRules Rules(FrontCallOptions o) => new SettingRules(Section)
        .Between(nameof(Window), o.Window, TimeSpan.Zero, TimeSpan.FromMilliseconds(100))
        .Between(nameof(MaxItems), o.MaxItems, 1, 10_000);
}
