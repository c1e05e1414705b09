using System.Globalization;
using System.Text.RegularExpressions;

namespace OrleansChat.WebFront.Chat;

/// <summary>Decimal strings as the marketplace writes them: digits, optionally a point and at most two decimals.</summary>
public static partial class Money
{
    [GeneratedRegex(@"^\d{1,12}(\.\d{1,2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex AmountPattern();

    public static bool IsValidAmount(string value, bool allowZero) =>
        AmountPattern().IsMatch(value)
        && decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
        && (allowZero ? amount >= 0 : amount > 0);

    /// <summary>The canonical form with exactly two decimals ("120.5" → "120.50").</summary>
    public static string Normalize(string value) =>
        decimal.Parse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture).ToString("0.00", CultureInfo.InvariantCulture);
}
