global using Orleans;
global using OrleansChat.GrainInterfaces;
global using Xunit;
