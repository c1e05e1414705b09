global using System.Collections.Concurrent;
global using System.Globalization;
global using System.Text.Json;
