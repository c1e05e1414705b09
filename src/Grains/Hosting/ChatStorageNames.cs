namespace OrleansChat.Grains.Hosting;

public static class ChatStorageNames
{
    /// <summary>The Orleans grain storage provider backed by PostgreSQL.</summary>
    public const string Provider = "chat";
}
