using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace WalActors.Host.Cli;

/// <summary>
/// The options several commands share, each parsed once, the same way everywhere, with errors that name the option and
/// the value (the parser's own say "as expected type 'System.Int32'").
/// </summary>
internal static class CommandOptions
{
    /// <summary><c>--dir DIR</c>, required unless a default is given.</summary>
    public static Option<string> Directory(string description, string? defaultValue = null)
    {
        var option = new Option<string>("--dir") { Description = description, HelpName = "DIR", Required = defaultValue is null };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => defaultValue;
        }

        return option;
    }

    /// <summary><c>--from LSN</c>: a record's LSN, a whole number from 0; whether the log holds it is checked against the log.</summary>
    public static Option<long?> From(string description) => new("--from")
    {
        Description = description,
        HelpName = "LSN",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return null;
            }

            var text = Single(result);
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var lsn))
            {
                return lsn;
            }

            result.AddError($"'{text}' is not a valid LSN for --from: an LSN is a whole number from 0, the position of a record.");
            return null;
        },
    };

    /// <summary>A whole number between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public static Option<int> WholeNumber(string name, string description, int defaultValue, int min, int max) => Bounded(
        name, $"{description} From {min:N0} to {max:N0}.", "N", defaultValue,
        text => int.TryParse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max ? n : null,
        $"it takes a whole number from {min:N0} to {max:N0}");

    /// <summary>A number of seconds, more than 0 and at most <paramref name="max"/>.</summary>
    public static Option<double> Seconds(string name, string description, double defaultValue, double max) => Bounded(
        name, description, "SECONDS", defaultValue,
        text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= max ? seconds : null,
        $"it takes a number of seconds more than 0 and at most {max:N0}");

    /// <summary>One of <paramref name="values"/>, in any letter case; the value comes back as it is spelled in <paramref name="values"/>.</summary>
    public static Option<string?> Choice(string name, string description, string? defaultValue, params string[] values)
    {
        var option = new Option<string?>(name)
        {
            Description = description,
            HelpName = string.Join('|', values),
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return defaultValue;
                }

                var text = Single(result);
                var match = values.FirstOrDefault(v => string.Equals(v, text, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                {
                    result.AddError($"'{text}' is not valid for {name}: use one of {string.Join(", ", values)}.");
                }

                return match;
            },
        };
        if (defaultValue is not null)
        {
            option.DefaultValueFactory = _ => defaultValue;
        }

        return option;
    }

    // A value parsed by parse (null when it is not one), with an error naming the option, the value and what it takes.
    private static Option<T> Bounded<T>(string name, string description, string helpName, T defaultValue, Func<string, T?> parse, string takes)
        where T : struct => new(name)
        {
            Description = description,
            HelpName = helpName,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                if (result.Tokens.Count == 0)
                {
                    return defaultValue;
                }

                var text = Single(result);
                if (parse(text) is { } value)
                {
                    return value;
                }

                result.AddError($"'{text}' is not valid for {name}: {takes}.");
                return defaultValue;
            },
        };

    // With arity one the parser has already refused several values, so this is the one given.
    private static string Single(ArgumentResult result) => result.Tokens[^1].Value;
}
