namespace DestinyDsl.Distributed.Worker.Scenarios;

/// <summary>A collective produced something other than what the scenario computed directly.</summary>
public sealed class ScenarioFailure(string message) : Exception(message);
