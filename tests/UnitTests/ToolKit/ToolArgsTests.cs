using OrleansChat.ToolKit.Cli;

namespace OrleansChat.UnitTests.ToolKit;

/// <summary>The tools' one command-line grammar: verbs, both value forms, flags, typed reads and refusals.</summary>
public sealed class ToolArgsTests
{
    private static readonly string[] Values = ["--duration", "--threads", "--rate", "--fronts", "--faults"];

    [Fact]
    public void Reads_a_verb_values_in_both_forms_and_flags()
    {
        var a = ToolArgs.Parse(["hot-thread", "--duration", "2m", "--threads=12", "--quiet", "--fronts", "http://a:1,http://b:2/"], Values, ["--quiet"]);
        Assert.Equal("hot-thread", a.Verb);
        Assert.Equal(TimeSpan.FromMinutes(2), a.Duration("--duration"));
        Assert.Equal(12, a.Int("--threads"));
        Assert.True(a.Flag("--quiet"));
        Assert.Equal(["http://a:1/", "http://b:2/"], a.Uris("--fronts")!.Select(u => u.ToString()));
        Assert.Null(a.Positive("--rate"));
    }

    [Theory]
    [InlineData("500ms", 0.5)]
    [InlineData("30s", 30)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    [InlineData("7", 7)]
    public void Durations_take_a_unit_or_plain_seconds(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), ToolArgs.ParseDuration(text));

    [Theory]
    [InlineData("--bogus", "unknown option '--bogus'")]
    [InlineData("--threads", "option --threads needs a value")]
    [InlineData("--threads=-1", "--threads must be a non-negative integer")]
    [InlineData("--rate=0", "--rate must be a positive number")]
    [InlineData("--duration=soon", "--duration must be a duration")]
    [InlineData("--fronts=ftp://x", "--fronts must be an http(s) address")]
    [InlineData("--faults=silo-kill,meteor", "--faults takes silo-kill, pg-restart or none (got 'meteor')")]
    [InlineData("--quiet=yes", "option --quiet takes no value")]
    public void Bad_input_names_the_option(string arg, string message)
    {
        var error = Assert.Throws<ArgumentException>(() =>
        {
            var a = ToolArgs.Parse([arg], Values, ["--quiet"]);
            _ = a.Int("--threads");
            _ = a.Positive("--rate");
            _ = a.Duration("--duration");
            _ = a.Uris("--fronts");
            _ = a.Words("--faults", ["silo-kill", "pg-restart"]);
        });
        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
