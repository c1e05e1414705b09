using System.Globalization;

namespace OrleansChat.ToolKit.Cli;

/// <summary>
/// The one command-line grammar of the tools under tools/: <c>TOOL [VERB] [--name value | --name=value | --flag] …</c>.
/// Each tool declares the options it knows; anything else is refused, so a typo never silently runs a default.
/// Values are read typed, with the option's name in every error.
/// </summary>
public sealed class ToolArgs
{
    private readonly Dictionary<string, string?> _given;

    private ToolArgs(string? verb, Dictionary<string, string?> given)
    {
        Verb = verb;
        _given = given;
    }

    /// <summary>The first argument when it is not an option (a scenario or a sub-command), else null.</summary>
    public string? Verb { get; }

    /// <param name="valueOptions">options that take a value, e.g. "--duration"</param>
    /// <param name="flags">options that take none, e.g. "--quiet"</param>
    public static ToolArgs Parse(IReadOnlyList<string> args, IReadOnlyCollection<string> valueOptions, IReadOnlyCollection<string>? flags = null)
    {
        flags ??= [];
        var given = new Dictionary<string, string?>(StringComparer.Ordinal);
        string? verb = null;
        var i = 0;
        if (args.Count > 0 && !args[0].StartsWith('-'))
        {
            verb = args[0];
            i = 1;
        }
        for (; i < args.Count; i++)
        {
            var name = args[i];
            string? inline = null;
            if (name.IndexOf('=', StringComparison.Ordinal) is var eq and > 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }
            if (flags.Contains(name))
            {
                given[name] = inline is null ? null : throw new ArgumentException($"option {name} takes no value");
            }
            else if (valueOptions.Contains(name))
            {
                given[name] = inline ?? (++i < args.Count ? args[i] : throw new ArgumentException($"option {name} needs a value"));
            }
            else
            {
                throw new ArgumentException($"unknown option '{name}' (see --help)");
            }
        }
        return new ToolArgs(verb, given);
    }

    public static bool WantsHelp(IReadOnlyList<string> args) => args.Any(a => a is "-h" or "--help" or "help");

    public bool Flag(string name) => _given.ContainsKey(name);

    public string? String(string name) => _given.GetValueOrDefault(name);

    /// <summary>A non-negative integer.</summary>
    public int? Int(string name) => String(name) is { } v
        ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw Invalid(name, v, "a non-negative integer")
        : null;

    /// <summary>A non-negative 64-bit integer.</summary>
    public long? Long(string name) => String(name) is { } v
        ? long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw Invalid(name, v, "a non-negative integer")
        : null;

    /// <summary>A number above zero.</summary>
    public double? Positive(string name) => String(name) is { } v
        ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw Invalid(name, v, "a positive number")
        : null;

    /// <summary>"30s", "2m", "500ms", "1h" or plain seconds.</summary>
    public TimeSpan? Duration(string name) => String(name) is { } v ? ParseDuration(v) ?? throw Invalid(name, v, "a duration such as 30s, 2m or 500ms") : null;

    /// <summary>Comma-separated base addresses, each ending in '/'.</summary>
    public IReadOnlyList<Uri>? Uris(string name) => String(name) is { } v ? ParseUris(name, v) : null;

    /// <summary>Comma-separated words, each one of <paramref name="allowed"/>; "none" or "" is the empty list.</summary>
    public IReadOnlyList<string>? Words(string name, IReadOnlyCollection<string> allowed)
    {
        if (String(name) is not { } v)
        {
            return null;
        }
        var words = v is "none" ? [] : v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var word in words)
        {
            if (!allowed.Contains(word))
            {
                throw new ArgumentException($"{name} takes {string.Join(", ", allowed)} or none (got '{word}')");
            }
        }
        return words;
    }

    public static TimeSpan? ParseDuration(string value)
    {
        static double? N(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : null;
        return value switch
        {
            _ when value.EndsWith("ms", StringComparison.Ordinal) => N(value[..^2]) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            _ when value.EndsWith('s') => N(value[..^1]) is { } s ? TimeSpan.FromSeconds(s) : null,
            _ when value.EndsWith('m') => N(value[..^1]) is { } m ? TimeSpan.FromMinutes(m) : null,
            _ when value.EndsWith('h') => N(value[..^1]) is { } h ? TimeSpan.FromHours(h) : null,
            _ => N(value) is { } plain ? TimeSpan.FromSeconds(plain) : null,
        };
    }

    private static List<Uri> ParseUris(string name, string value)
    {
        var uris = new List<Uri>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            uris.Add(Uri.TryCreate(part.EndsWith('/') ? part : part + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw Invalid(name, part, "an http(s) address"));
        }
        return uris.Count > 0 ? uris : throw Invalid(name, value, "at least one address");
    }

    private static ArgumentException Invalid(string name, string value, string what) => new($"{name} must be {what} (got '{value}')");
}
