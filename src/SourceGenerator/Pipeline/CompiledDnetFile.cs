using DestinyDsl.Language.Model;

namespace DestinyDsl.SourceGenerator.Pipeline;

/// <summary>
/// One .dnet file after the front end: its bound networks (only when the file has no errors) or nothing.
/// The file's diagnostics are not kept: the analyzer reports them, and dropping them here means that moving an
/// error (or editing a comment) leaves this value equal and everything downstream cached.
/// </summary>
/// <remarks>Immutable, structural equality; <see cref="NetworkModel"/> is a tree of records and equatable arrays.</remarks>
internal sealed record CompiledDnetFile(string Path, bool HasErrors, EquatableArray<NetworkModel> Networks, GeneratorFailure? Failure);
