namespace OrleansChat.WebFront.Tests;

/// <summary>One real stack shared by the REST test classes; each test makes its own users and threads.</summary>
[CollectionDefinition(Name)]
public sealed class StackCollection : ICollectionFixture<ChatStack>
{
    public const string Name = "stack";
}
