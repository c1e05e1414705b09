global using Microsoft.AspNetCore.Diagnostics.HealthChecks;
global using Orleans;
global using OrleansChat.GrainInterfaces;
