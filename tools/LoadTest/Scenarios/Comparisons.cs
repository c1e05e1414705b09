namespace OrleansChat.LoadTest.Scenarios;

/// <summary>Adds "figure next to baseline, ratio, goal" rows to the result.</summary>
public static class Comparisons
{
    /// <summary>Higher is better: the goal is met when value ≥ goalRatio × baseline (or ≥ goalAbsolute).</summary>
    public static void AtLeast(LoadTestResult r, string metric, double value, string unit, string baseline, double? baselineValue, string goal,
        double? goalRatio = null, double? goalAbsolute = null)
    {
        var ratio = baselineValue is > 0 ? value / baselineValue.Value : (double?)null;
        bool? met = goalRatio is { } gr ? ratio is { } x ? x >= gr : null : goalAbsolute is { } ga ? value >= ga : null;
        r.Comparisons.Add(new Comparison
        {
            Metric = metric, Value = Math.Round(value, 2), Unit = unit, Baseline = baseline,
            BaselineValue = baselineValue is { } b ? Math.Round(b, 2) : null, Ratio = ratio is { } q ? Math.Round(q, 3) : null,
            Goal = goal, GoalMet = met,
        });
    }

    /// <summary>Lower is better: the goal is met when value ≤ goalRatio × baseline (or ≤ goalAbsolute).</summary>
    public static void AtMost(LoadTestResult r, string metric, double value, string unit, string baseline, double? baselineValue, string goal,
        double? goalRatio = null, double? goalAbsolute = null)
    {
        var ratio = baselineValue is > 0 ? value / baselineValue.Value : (double?)null;
        bool? met = goalRatio is { } gr ? ratio is { } x ? x <= gr : null : goalAbsolute is { } ga ? value <= ga : null;
        r.Comparisons.Add(new Comparison
        {
            Metric = metric, Value = Math.Round(value, 2), Unit = unit, Baseline = baseline,
            BaselineValue = baselineValue is { } b ? Math.Round(b, 2) : null, Ratio = ratio is { } q ? Math.Round(q, 3) : null,
            Goal = goal, GoalMet = met,
        });
    }
}
