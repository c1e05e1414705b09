using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OrleansChat.GrainInterfaces.Configuration;

/// <summary>The one way every chat settings class is bound: from its section, checked by its rules when the host starts.</summary>
public static class ValidatedSettings
{
    public static OptionsBuilder<T> AddValidatedSettings<T>(this IServiceCollection services, string section, Func<T, IConfiguration, SettingRules> rules)
        where T : class
    {
        // A host without configuration (a test silo) gets the defaults, still checked.
        services.AddSingleton<IValidateOptions<T>>(sp => new RulesValidator<T>(rules, sp.GetService<IConfiguration>() ?? Empty));
        return services.AddOptions<T>()
            .Configure<IServiceProvider>((options, sp) => sp.GetService<IConfiguration>()?.GetSection(section).Bind(options))
            .ValidateOnStart();
    }

    private static readonly IConfiguration Empty = new ConfigurationBuilder().Build();

    /// <summary>Checks settings needed before a host is built (ports, keys) the same way; throws the same exception.</summary>
    public static T Checked<T>(T options, SettingRules rules)
        where T : class =>
        rules.Failures.Count == 0 ? options : throw new InvalidSettingsException(rules.Failures);

    /// <summary>One line for an operator: every failure of every section, no stack trace.</summary>
    public static string Describe(OptionsValidationException e) => "invalid settings: " + string.Join("; ", e.Failures);

    private sealed class RulesValidator<T>(Func<T, IConfiguration, SettingRules> rules, IConfiguration configuration) : IValidateOptions<T>
        where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var failures = rules(options, configuration).Failures;
            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}

/// <summary>Settings a host cannot start with (checked before the host is built); the message is the one line to print.</summary>
public sealed class InvalidSettingsException(IReadOnlyList<string> failures)
    : InvalidOperationException("invalid settings: " + string.Join("; ", failures));
