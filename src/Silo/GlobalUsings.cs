global using Microsoft.AspNetCore.Diagnostics.HealthChecks;
