namespace DestinyDsl.Runtime.Data;

/// <summary>Which of the two sparse text layouts a file uses. They cannot be told apart reliably, so the caller says.</summary>
public enum DsstneTextFormat
{
    /// <summary>DSSTNE's generateNetCDF input: <c>sample⇥feature[,value]:feature[,value]:…</c>.</summary>
    Native,

    /// <summary>The variant <c>sample⇥feature[:value],feature[:value],…</c>.</summary>
    CommaSeparated,
}
