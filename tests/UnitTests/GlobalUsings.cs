global using OrleansChat.GrainInterfaces;
global using Xunit;
