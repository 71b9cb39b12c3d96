using DurableWorkflows.Core.Contracts;

namespace DurableWorkflows.Core.Tests.Scheduling;

public sealed class ScheduleChangeTests
{
    private static readonly DateTimeOffset Cursor = new(2026, 3, 1, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 14, 30, 0, TimeSpan.Zero);

    private static ScheduleState State() => new(
        new ScheduleSpec("nightly", "0 3 * * *", "Europe/Berlin", ScheduleOverlap.Skip, "template", new Dictionary<string, string> { ["a"] = "1" }),
        Paused: true,
        Cursor: Cursor,
        CreatedAt: Cursor,
        Runs: [new ScheduledRun("nightly-20260301T030000Z", Cursor, "SUCCESS")]);

    [Fact]
    public void With_OnlyGivenFields_ReplacesThoseAndKeepsTheRest()
    {
        var vars = new Dictionary<string, string> { ["b"] = "2" };

        var changed = State().With(new ScheduleChange(Overlap: ScheduleOverlap.Allow, Vars: vars), Now);

        Assert.Equal(State().Spec with { Overlap = ScheduleOverlap.Allow, Vars = vars }, changed.Spec);
        Assert.Equal((true, Cursor, Cursor), (changed.Paused, changed.Cursor, changed.CreatedAt));
        Assert.Equal(State().RunList, changed.RunList);
    }

    [Theory]
    [InlineData("0 4 * * *", null)]
    [InlineData(null, "UTC")]
    [InlineData(null, "")]
    public void With_NewCronOrZone_CountsFromNow(string? cron, string? zone)
    {
        var changed = State().With(new ScheduleChange(Cron: cron, TimeZone: zone), Now);

        Assert.Equal(Now, changed.Cursor);
        Assert.Equal(cron ?? "0 3 * * *", changed.Spec.Cron);
        Assert.Equal(zone is null ? "Europe/Berlin" : zone.Length == 0 ? null : zone, changed.Spec.TimeZone);
    }

    [Fact]
    public void IsEmpty_NothingGiven_True()
    {
        Assert.True(new ScheduleChange().IsEmpty);
        Assert.False(new ScheduleChange(Template: "").IsEmpty);
    }
}
