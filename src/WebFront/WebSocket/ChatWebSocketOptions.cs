using Microsoft.Extensions.Configuration;
using OrleansChat.GrainInterfaces.Configuration;

namespace OrleansChat.WebFront.WebSocket;

/// <summary>Limits of the WebSocket endpoint (section "Chat:WebSocket"); the defaults are spec §4's numbers.</summary>
public sealed class ChatWebSocketOptions
{
    public const string Section = "Chat:WebSocket";

    /// <summary>A client frame above this many bytes gets an error and close 1009.</summary>
    public int MaxFrameBytes { get; set; } = 256 * 1024;

    /// <summary>Frames waiting to be sent to one client; a client that falls this far behind is closed (1013).</summary>
    public int SendQueueCapacity { get; set; } = 1_000;

    /// <summary>Flood: more than this many frames in each of <see cref="FloodSeconds"/> consecutive seconds.</summary>
    public int FloodFramesPerSecond { get; set; } = 50;

    public int FloodSeconds { get; set; } = 5;

    /// <summary>How long a closing peer has to drain its queue and answer the close frame before it is aborted.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public static SettingRules Rules(ChatWebSocketOptions o, IConfiguration configuration) => new SettingRules(Section)
        .Between(nameof(MaxFrameBytes), o.MaxFrameBytes, 1024, 16 * 1024 * 1024)
        .Between(nameof(SendQueueCapacity), o.SendQueueCapacity, 16, 100_000)
        .Between(nameof(FloodFramesPerSecond), o.FloodFramesPerSecond, 1, 1_000_000)
        .Between(nameof(FloodSeconds), o.FloodSeconds, 1, 60)
        .Between(nameof(CloseTimeout), o.CloseTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
}
