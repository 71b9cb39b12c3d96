using DurableWorkflows.Core.Scheduling;

namespace DurableWorkflows.Core.Tests.Scheduling;

public sealed class ScheduleExpressionTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void TryParse_FiveFields_NextIsTheNextMinute()
    {
        var expression = ScheduleExpression.TryParse("*/15 * * * *", null, out var error);

        Assert.Null(error);
        Assert.Equal(Noon.AddMinutes(15), expression!.Next(Noon));
    }

    [Fact]
    public void TryParse_SixFields_ReadsSeconds()
    {
        var expression = ScheduleExpression.TryParse("*/2 * * * * *", null, out var error);

        Assert.Null(error);
        Assert.Equal(Noon.AddSeconds(2), expression!.Next(Noon));
    }

    [Fact]
    public void TryParse_IanaTimeZone_ResolvesUnderInvariantGlobalization()
    {
        // 02:30 local on 2026-03-29 does not exist in Berlin (clocks go forward): Cronos runs it at 03:00 CEST.
        var expression = ScheduleExpression.TryParse("30 2 * * *", "Europe/Berlin", out var error);

        Assert.Null(error);
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), expression!.Next(Noon));
    }

    [Theory]
    [InlineData("* * * *", null, "has 4 fields")]
    [InlineData("61 * * * *", null, "is invalid")]
    [InlineData("", null, "required")]
    [InlineData("0 3 * * *", "Mars/Olympus", "unknown time zone 'Mars/Olympus'")]
    public void TryParse_Invalid_SaysWhatIsWrong(string cron, string? zone, string expected)
    {
        var expression = ScheduleExpression.TryParse(cron, zone, out var error);

        Assert.Null(expression);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void LatestDue_AfterLongDowntime_ReturnsTheLatestAndCountsTheRest()
    {
        var expression = ScheduleExpression.Parse("0 * * * *", null);

        var due = expression.LatestDue(Noon.AddDays(-2).AddMinutes(30), Noon.AddMinutes(10));

        Assert.Equal((Noon, 47), due);
    }

    [Fact]
    public void LatestDue_EverySecondForAWeek_CapsTheCount()
    {
        var expression = ScheduleExpression.Parse("* * * * * *", null);

        var due = expression.LatestDue(Noon.AddDays(-7), Noon);

        Assert.Equal((Noon, ScheduleExpression.MissedCountLimit), due);
    }

    [Fact]
    public void LatestDue_NothingDue_ReturnsNull()
    {
        var expression = ScheduleExpression.Parse("0 0 * * *", null);

        Assert.Null(expression.LatestDue(Noon, Noon.AddHours(1)));
    }

    [Theory]
    [InlineData("nightly-reimage", null)]
    [InlineData("rack_7.burn-in", null)]
    [InlineData("-x", "must start with a letter or digit")]
    [InlineData("a/b", "must start with a letter or digit")]
    [InlineData("", "required")]
    public void Validate_Name_AcceptsDockerAndUrlSafeNames(string name, string? expected)
    {
        var error = ScheduleNames.Validate(name);

        if (expected is null)
        {
            Assert.Null(error);
        }
        else
        {
            Assert.Contains(expected, error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void RunId_Occurrence_IsNameDashUtcTime()
    {
        var occurrence = new DateTimeOffset(2026, 3, 28, 14, 5, 6, TimeSpan.FromHours(2));

        Assert.Equal("nightly-20260328T120506Z", ScheduleNames.RunId("nightly", occurrence));
    }
}
