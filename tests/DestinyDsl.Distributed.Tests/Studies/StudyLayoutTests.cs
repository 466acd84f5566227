using DestinyDsl.Runtime.Distributed;
using DestinyDsl.Runtime.Tuning.DistributedStudies;
using DestinyDsl.Runtime.Tuning.Studies;

namespace DestinyDsl.Distributed.Tests.Studies;

/// <summary>How a distributed study splits a job into a coordinator and worker groups, and what it refuses before any collective.</summary>
public class StudyLayoutTests
{
    [Theory]
    // ranks, per group, coordinator trains → each rank's group (−1: coordinator only), then the leaders
    [InlineData(3, 1, false, new[] { -1, 0, 1 }, new[] { 1, 2 })]
    [InlineData(5, 2, false, new[] { -1, 0, 0, 1, 1 }, new[] { 1, 3 })]
    [InlineData(4, 2, true, new[] { 0, 0, 1, 1 }, new[] { 0, 2 })]
    [InlineData(3, 1, true, new[] { 0, 1, 2 }, new[] { 0, 1, 2 })]
    [InlineData(2, 1, false, new[] { -1, 0 }, new[] { 1 })]
    public void Ranks_form_consecutive_groups_led_by_their_lowest_rank(int ranks, int perGroup, bool coordinatorTrains, int[] groupOfRank, int[] leaders)
    {
        var layout = new StudyLayout(ranks, perGroup, coordinatorTrains);
        Assert.Equal(groupOfRank, Enumerable.Range(0, ranks).Select(layout.GroupOf));
        Assert.Equal(leaders, Enumerable.Range(0, layout.Groups).Select(layout.LeaderOf));
    }

    [Fact]
    public void Sizes_that_do_not_form_groups_are_refused_with_the_sizes_that_would()
    {
        var dedicated = Assert.Throws<ArgumentException>(() => new StudyLayout(4, 2, coordinatorTrains: false));
        Assert.Contains("1 + a multiple of 2", dedicated.Message);
        Assert.Contains("CoordinatorTrains = true", dedicated.Message);
        Assert.Contains("a multiple of 2 ranks", Assert.Throws<ArgumentException>(() => new StudyLayout(5, 2, coordinatorTrains: true)).Message);
        Assert.Contains("too few", Assert.Throws<ArgumentException>(() => new StudyLayout(1, 1, coordinatorTrains: false)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new StudyLayout(4, 0, coordinatorTrains: true));
    }

    [Fact]
    public async Task A_study_over_an_in_process_group_or_with_bad_regions_is_refused_before_any_mpi_call()
    {
        RegionObjective objective = (_, _, _) => Task.FromResult(0.0);
        var region = new RegionStudy("east", Worker.Networks.TunedAutoencoder.SearchSpace, null, new StudyOptions { JournalPath = "east.jsonl" });
        var inProcess = await Assert.ThrowsAsync<ArgumentException>(() => DistributedStudy.RunAsync(DeviceGroup.Cpu(2), [region], objective));
        Assert.Contains("in-process group", inProcess.Message);
        // Each region problem is named (these checks come first, so the in-process group is not what is reported).
        async Task Refused(RegionStudy[] regions, string reason)
            => Assert.Contains(reason, (await Assert.ThrowsAsync<ArgumentException>(() => DistributedStudy.RunAsync(DeviceGroup.Cpu(2), regions, objective))).Message);
        await Refused([region, region with { Name = "west" }], "shares its journal");
        await Refused([region, region], "listed twice");
        await Refused([region with { Options = new StudyOptions { Concurrency = 2 } }], "Concurrency or DeviceGroups");
        await Refused([], "at least one region");
    }
}
