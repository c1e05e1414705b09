using System.Globalization;

namespace OrleansChat.GrainInterfaces.Configuration;

/// <summary>
/// Collects what is wrong with a settings section, each failure one line naming the configuration key, the allowed
/// range and the value found — so a process with a bad setting stops with a sentence an operator can act on.
/// </summary>
public sealed class SettingRules(string section)
{
    private readonly List<string> _failures = [];

    public IReadOnlyList<string> Failures => _failures;

    public SettingRules Between(string key, long value, long min, long max) =>
        Require(value >= min && value <= max, $"{section}:{key} must be between {min} and {max} (is {value})");

    public SettingRules Between(string key, TimeSpan value, TimeSpan min, TimeSpan max) =>
        Require(value >= min && value <= max, $"{section}:{key} must be between {Text(min)} and {Text(max)} (is {Text(value)})");

    public SettingRules Require(bool holds, string failure)
    {
        if (!holds)
        {
            _failures.Add(failure);
        }
        return this;
    }

    private static string Text(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
