global using System.Collections.Concurrent;
global using System.Diagnostics;
global using System.Globalization;
global using System.Text.Json;
global using OrleansChat.ChatClients;
