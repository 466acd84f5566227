using System.Globalization;
using DestinyDsl.Language.Model;
using DestinyDsl.Language.Text;

namespace DestinyDsl.Language.Diagnostics;

/// <summary>
/// The one catalog of <c>.dnet</c> diagnostics. Every <see cref="DnetDiagnostic"/> the front end reports is created
/// here from one of these descriptors; the generator and analyzers map them onto Roslyn descriptors.
/// </summary>
/// <remarks>
/// Ids never change once assigned and are never reused. Ranges: <c>DNET00xx</c> syntax (lexer and parser),
/// <c>DNET01xx</c> semantics (binder), <c>DNET02xx</c> lint warnings, <c>DNET0999</c> internal compiler error.
/// Each id has a section in <c>docs/diagnostics.md</c> (anchor = the lower-cased id). Message formats use
/// <c>{0}</c>-style placeholders filled by <see cref="Create"/>.
/// </remarks>
public static class DiagnosticCatalog
{
    /// <summary>Category of lexer and parser diagnostics.</summary>
    public const string SyntaxCategory = "Dnet.Syntax";

    /// <summary>Category of binder (meaning) diagnostics.</summary>
    public const string SemanticsCategory = "Dnet.Semantics";

    /// <summary>Category of lint warnings and tool problems.</summary>
    public const string UsageCategory = "Dnet.Usage";

    // ---- DNET00xx: syntax -------------------------------------------------------------------------------------

    /// <summary>DNET0001: a character that cannot start any token.</summary>
    public static DiagnosticDescriptorInfo UnexpectedCharacter { get; } = Syntax("DNET0001",
        "Unexpected character", "Unexpected character {0}");

    /// <summary>DNET0002: <c>/*</c> without <c>*/</c>.</summary>
    public static DiagnosticDescriptorInfo UnterminatedComment { get; } = Syntax("DNET0002",
        "Unterminated block comment", "Unterminated block comment: '/*' is never closed by '*/'");

    /// <summary>DNET0003: a malformed or out-of-range number.</summary>
    public static DiagnosticDescriptorInfo InvalidNumber { get; } = Syntax("DNET0003",
        "Invalid number", "Invalid number '{0}': {1}");

    /// <summary>DNET0004: a required token is missing.</summary>
    public static DiagnosticDescriptorInfo ExpectedToken { get; } = Syntax("DNET0004",
        "Expected token", "Expected {0}, found {1}");

    /// <summary>DNET0005: tokens that fit nowhere (reported once per skipped run).</summary>
    public static DiagnosticDescriptorInfo UnexpectedToken { get; } = Syntax("DNET0005",
        "Unexpected token", "Unexpected {0}; expected {1}");

    /// <summary>DNET0006: a network block whose <c>}</c> is missing.</summary>
    public static DiagnosticDescriptorInfo MissingClosingBrace { get; } = Syntax("DNET0006",
        "Network block not closed", "The '{{' of network '{0}' is never closed: '}}' expected before {1}");

    /// <summary>DNET0007: a word where a statement keyword belongs that is none.</summary>
    public static DiagnosticDescriptorInfo UnknownKeyword { get; } = Syntax("DNET0007",
        "Unknown keyword", "Unknown keyword '{0}'; expected {1}{2}");

    /// <summary>DNET0008: parentheses nested beyond what the language needs.</summary>
    public static DiagnosticDescriptorInfo NestingTooDeep { get; } = Syntax("DNET0008",
        "Nesting too deep", "Parentheses are nested more than {0} levels deep");

    /// <summary>DNET0009: a reserved word of the language used as a name.</summary>
    public static DiagnosticDescriptorInfo KeywordAsName { get; } = Syntax("DNET0009",
        "Keyword used as a name", "'{0}' is a keyword of the language and cannot be used as a {1} name");

    /// <summary>DNET0010: a positional argument after a named one.</summary>
    public static DiagnosticDescriptorInfo PositionalAfterNamed { get; } = Syntax("DNET0010",
        "Positional argument after a named argument", "A positional argument cannot follow a named argument; write it as 'name = {0}'");

    // ---- DNET01xx: semantics ----------------------------------------------------------------------------------

    /// <summary>DNET0100: an unknown activation, modifier, loss, optimizer, initialiser, setting or tune option.</summary>
    public static DiagnosticDescriptorInfo UnknownName { get; } = Semantic("DNET0100",
        "Unknown name", "Unknown {0} '{1}'{2}");

    /// <summary>DNET0101: a named argument the construct does not take.</summary>
    public static DiagnosticDescriptorInfo UnknownArgument { get; } = Semantic("DNET0101",
        "Unknown argument", "'{0}' has no parameter '{1}'{2}");

    /// <summary>DNET0102: a clause a layer of this kind cannot have.</summary>
    public static DiagnosticDescriptorInfo NotAllowedOnLayer { get; } = Semantic("DNET0102",
        "Clause not allowed on this layer", "{0} layer '{1}' cannot have {2}{3}");

    /// <summary>DNET0103: more positional arguments than parameters.</summary>
    public static DiagnosticDescriptorInfo TooManyArguments { get; } = Semantic("DNET0103",
        "Too many arguments", "'{0}' takes at most {1} argument(s), found {2}");

    /// <summary>DNET0104: the same argument, setting or flag given twice.</summary>
    public static DiagnosticDescriptorInfo DuplicateArgument { get; } = Semantic("DNET0104",
        "Duplicate argument", "'{0}' is given more than once in {1}");

    /// <summary>DNET0105: a required argument is missing.</summary>
    public static DiagnosticDescriptorInfo MissingArgument { get; } = Semantic("DNET0105",
        "Missing argument", "'{0}' requires the argument '{1}'");

    /// <summary>DNET0106: two layers with the same name.</summary>
    public static DiagnosticDescriptorInfo DuplicateLayer { get; } = Semantic("DNET0106",
        "Duplicate layer name", "A layer named '{0}' is already declared in network '{1}' (line {2})");

    /// <summary>DNET0107: two layer names that become the same C# member.</summary>
    public static DiagnosticDescriptorInfo MemberNameCollision { get; } = Semantic("DNET0107",
        "Layer names collide in C#", "Layers '{0}' and '{1}' both become the C# member '{2}'");

    /// <summary>DNET0108: two networks with the same name in one file.</summary>
    public static DiagnosticDescriptorInfo DuplicateNetwork { get; } = Semantic("DNET0108",
        "Duplicate network name", "A network named '{0}' is already declared in this file (line {1})");

    /// <summary>DNET0109: a layer clause written twice.</summary>
    public static DiagnosticDescriptorInfo DuplicateClause { get; } = Semantic("DNET0109",
        "Duplicate layer clause", "Layer '{0}' has more than one {1}");

    /// <summary>DNET0110: a second <c>loss</c> or <c>optimizer</c> statement.</summary>
    public static DiagnosticDescriptorInfo DuplicateStatement { get; } = Semantic("DNET0110",
        "Duplicate statement", "Network '{0}' has more than one '{1}' statement");

    /// <summary>DNET0111: a source or target naming no layer.</summary>
    public static DiagnosticDescriptorInfo UnknownLayer { get; } = Semantic("DNET0111",
        "Unknown layer", "Network '{0}' has no layer named '{1}'{2}");

    /// <summary>DNET0112: layers whose sources form a cycle.</summary>
    public static DiagnosticDescriptorInfo Cycle { get; } = Semantic("DNET0112",
        "Cycle between layers", "Layers form a cycle through their sources: {0}");

    /// <summary>DNET0113: a network without an input layer.</summary>
    public static DiagnosticDescriptorInfo MissingInput { get; } = Semantic("DNET0113",
        "No input layer", "Network '{0}' has no input layer");

    /// <summary>DNET0114: a network without an output layer.</summary>
    public static DiagnosticDescriptorInfo MissingOutput { get; } = Semantic("DNET0114",
        "No output layer", "Network '{0}' has no output layer");

    /// <summary>DNET0115: an output layer without <c>target</c>.</summary>
    public static DiagnosticDescriptorInfo MissingTarget { get; } = Semantic("DNET0115",
        "Output without a target", "Output layer '{0}' has no training target; add 'target {1}'");

    /// <summary>DNET0116: a target that names a hidden or output layer.</summary>
    public static DiagnosticDescriptorInfo TargetNotInput { get; } = Semantic("DNET0116",
        "Target is not an input layer", "The target of output layer '{0}' must be an input layer, but '{1}' is {2} layer");

    /// <summary>DNET0117: a width that is not a positive integer.</summary>
    public static DiagnosticDescriptorInfo InvalidWidth { get; } = Semantic("DNET0117",
        "Invalid width", "{0} must be a positive integer, found {1}");

    /// <summary>DNET0118: a probability outside its interval.</summary>
    public static DiagnosticDescriptorInfo ProbabilityOutOfRange { get; } = Semantic("DNET0118",
        "Probability out of range", "{0} is a probability and must be in {1}, found {2}");

    /// <summary>DNET0119: the sparseness target p outside (0, 1).</summary>
    public static DiagnosticDescriptorInfo SparsenessTargetOutOfRange { get; } = Semantic("DNET0119",
        "Sparseness target out of range", "{0} must be in (0, 1), found {1}");

    /// <summary>DNET0120: a learning rate that is not positive.</summary>
    public static DiagnosticDescriptorInfo NonPositiveLearningRate { get; } = Semantic("DNET0120",
        "Learning rate not positive", "{0} must be greater than 0, found {1}");

    /// <summary>DNET0121: a batch size or epoch count that is not a positive integer.</summary>
    public static DiagnosticDescriptorInfo InvalidCount { get; } = Semantic("DNET0121",
        "Invalid count", "{0} must be a positive integer, found {1}");

    /// <summary>DNET0122: any other numeric value outside its valid range.</summary>
    public static DiagnosticDescriptorInfo ValueOutOfRange { get; } = Semantic("DNET0122",
        "Value out of range", "{0} must be {1}, found {2}");

    /// <summary>DNET0123: <c>tune(lo .. hi)</c> with lo ≥ hi.</summary>
    public static DiagnosticDescriptorInfo EmptySearchRange { get; } = Semantic("DNET0123",
        "Empty search range", "The search range of {0} is empty: the lower bound {1} must be below the upper bound {2}");

    /// <summary>DNET0124: a log-scale range whose lower bound is not positive.</summary>
    public static DiagnosticDescriptorInfo LogRangeNotPositive { get; } = Semantic("DNET0124",
        "Log range not positive", "The log-scale search range of {0} needs a lower bound above 0, found {1}");

    /// <summary>DNET0125: a fractional bound, choice or default where integers are required.</summary>
    public static DiagnosticDescriptorInfo IntegerRangeFractional { get; } = Semantic("DNET0125",
        "Fractional value in an integer range", "{0} takes integer values, but {1} {2} is not an integer");

    /// <summary>DNET0126: a default outside its tune range or not among its choices.</summary>
    public static DiagnosticDescriptorInfo DefaultOutsideRange { get; } = Semantic("DNET0126",
        "Default outside the search range", "The default {0} of {1} is {2}");

    /// <summary>DNET0127: a value listed twice in <c>choice(...)</c>.</summary>
    public static DiagnosticDescriptorInfo DuplicateChoice { get; } = Semantic("DNET0127",
        "Duplicate choice", "choice(...) of {0} lists {1} more than once");

    /// <summary>DNET0128: <c>tune</c>/<c>choice</c> on a value that is a compile-time constant.</summary>
    public static DiagnosticDescriptorInfo NotTunable { get; } = Semantic("DNET0128",
        "Value cannot be tuned", "{0} cannot be tuned: {1}");

    /// <summary>DNET0129: a name whose C# form is not a valid identifier.</summary>
    public static DiagnosticDescriptorInfo InvalidIdentifier { get; } = Semantic("DNET0129",
        "Name is not a valid C# identifier", "The {0} name '{1}' becomes '{2}' in C#, which is not a valid identifier");

    /// <summary>DNET0130: a network or namespace name that is a C# keyword (layer names are escaped instead).</summary>
    public static DiagnosticDescriptorInfo CSharpKeyword { get; } = Semantic("DNET0130",
        "Name is a C# keyword", "The {0} name '{1}' is a C# keyword");

    /// <summary>DNET0131: a layer whose C# member collides with a generated or inherited member.</summary>
    public static DiagnosticDescriptorInfo ReservedMemberName { get; } = Semantic("DNET0131",
        "Name collides with a generated member", "Layer '{0}' would generate '{1}', which collides with {2}");

    /// <summary>DNET0132: a cross-entropy loss on an output whose activation is not in (0, 1).</summary>
    public static DiagnosticDescriptorInfo LossNeedsProbabilities { get; } = Semantic("DNET0132",
        "Loss needs outputs in (0, 1)", "Loss '{0}'{1} needs outputs in (0, 1) (sigmoid or softmax), but output layer '{2}' uses {3}");

    /// <summary>DNET0133: data-scaled marginal cross-entropy with a softmax output (rejected as in DSSTNE).</summary>
    public static DiagnosticDescriptorInfo DataScaledWithSoftmax { get; } = Semantic("DNET0133",
        "data_scaled_marginal_cross_entropy with softmax", "Loss 'data_scaled_marginal_cross_entropy' cannot be used with the softmax output layer '{0}'");

    /// <summary>DNET0134: <c>auto</c> width on a hidden layer.</summary>
    public static DiagnosticDescriptorInfo AutoWidthOnHidden { get; } = Semantic("DNET0134",
        "auto width on a hidden layer", "Hidden layer '{0}' cannot have width 'auto': only input and output layers take their width from data");

    /// <summary>DNET0135: <c>sparse</c> on a hidden layer.</summary>
    public static DiagnosticDescriptorInfo SparseHidden { get; } = Semantic("DNET0135",
        "sparse on a hidden layer", "Hidden layer '{0}' cannot be 'sparse': only input and output layers hold sparse data");

    /// <summary>DNET0136: sparse output with a dense target or the reverse.</summary>
    public static DiagnosticDescriptorInfo SparseTargetMismatch { get; } = Semantic("DNET0136",
        "Sparse output and dense target (or the reverse)", "Output layer '{0}' is {1} but its target '{2}' is {3}");

    /// <summary>DNET0137: output and target widths differ.</summary>
    public static DiagnosticDescriptorInfo TargetWidthMismatch { get; } = Semantic("DNET0137",
        "Output width differs from its target's", "Output layer '{0}' has width {1} but its target '{2}' has width {3}");

    /// <summary>DNET0138: a second <c>namespace</c> declaration.</summary>
    public static DiagnosticDescriptorInfo DuplicateNamespace { get; } = Semantic("DNET0138",
        "Namespace declared twice", "The file already declares its namespace (line {0}); a file has at most one");

    /// <summary>DNET0139: <c>namespace</c> after a network.</summary>
    public static DiagnosticDescriptorInfo NamespaceAfterNetwork { get; } = Semantic("DNET0139",
        "Namespace after a network", "The namespace must be declared before the first network (line {0})");

    /// <summary>DNET0140: a DSSTNE feature the language reserves but does not implement yet.</summary>
    public static DiagnosticDescriptorInfo NotSupported { get; } = Semantic("DNET0140",
        "Not supported yet", "'{0}' is not supported yet: {1}");

    /// <summary>DNET0141: a value of the wrong kind (a name where a number belongs, a number where a bool belongs…).</summary>
    public static DiagnosticDescriptorInfo ValueKindMismatch { get; } = Semantic("DNET0141",
        "Wrong kind of value", "{0} expects {1}, found {2}");

    /// <summary>DNET0142: the first layer is not an input and names no source.</summary>
    public static DiagnosticDescriptorInfo MissingSource { get; } = Semantic("DNET0142",
        "Layer without a source", "Layer '{0}' has no source: it is declared first and names none with '<-'");

    /// <summary>DNET0143: an output layer used as a source.</summary>
    public static DiagnosticDescriptorInfo OutputAsSource { get; } = Semantic("DNET0143",
        "Output layer used as a source", "Layer '{0}' takes the output layer '{1}' as a source{2}; outputs cannot feed other layers");

    /// <summary>DNET0144: a source listed twice.</summary>
    public static DiagnosticDescriptorInfo DuplicateSource { get; } = Semantic("DNET0144",
        "Duplicate source", "Layer '{0}' names the source '{1}' more than once");

    /// <summary>DNET0145: a network named like another network's generated options class.</summary>
    public static DiagnosticDescriptorInfo GeneratedTypeCollision { get; } = Semantic("DNET0145",
        "Network name collides with a generated class", "Network '{0}' has the name of the options class generated for network '{1}'");

    /// <summary>DNET0146: a train value without a setting name.</summary>
    public static DiagnosticDescriptorInfo UnnamedSetting { get; } = Semantic("DNET0146",
        "Train setting without a name", "A train setting is written 'name = value'; {0}");

    // ---- DNET017x: tied weights (docs/language.md, Tied weights) ----------------------------------------------

    /// <summary>DNET0170: <c>tied(a -&gt; b)</c> where b is not a source of the layer.</summary>
    public static DiagnosticDescriptorInfo TiedTargetNotASource { get; } = Semantic("DNET0170",
        "Tied edge does not feed the layer", "Layer '{0}' declares tied({1} -> {2}), but '{2}' is not a source of '{0}'; the tied use is the edge {2} -> {0}, so '{2}' must be among its sources");

    /// <summary>DNET0171: <c>tied(a -&gt; b)</c> where a → b is not an edge.</summary>
    public static DiagnosticDescriptorInfo TiedEdgeMissing { get; } = Semantic("DNET0171",
        "Tied edge does not exist", "Layer '{0}' declares tied({1} -> {2}), but '{1}' is not a source of '{2}'{3}; the weights shared must be those of an edge a -> b");

    /// <summary>DNET0172: a tied layer whose width differs from the owning edge's source width.</summary>
    public static DiagnosticDescriptorInfo TiedWidthMismatch { get; } = Semantic("DNET0172",
        "Tied layer width differs", "Layer '{0}' has width {1} but tied({2} -> {3}) uses the transpose of a {4}×{5} matrix, so '{0}' must have the width of '{2}' ({4})");

    /// <summary>DNET0173: an edge shared by two tied layers.</summary>
    public static DiagnosticDescriptorInfo EdgeTiedTwice { get; } = Semantic("DNET0173",
        "Edge tied twice", "Layer '{0}' ties the edge {1} -> {2}, which layer '{3}' already ties (line {4}); an edge's weights may be reused by one other edge");

    /// <summary>DNET0174: <c>tied(a -&gt; b)</c> naming an edge that is itself tied.</summary>
    public static DiagnosticDescriptorInfo TiedChain { get; } = Semantic("DNET0174",
        "Tied edge is itself tied", "Layer '{0}' declares tied({1} -> {2}), but the edge {1} -> {2} is itself tied (by layer '{2}'); name the edge that owns the weights");

    /// <summary>DNET0175: <c>max_norm</c> on a layer with tied weights.</summary>
    public static DiagnosticDescriptorInfo MaxNormOnTiedLayer { get; } = Semantic("DNET0175",
        "max_norm on a tied layer", "Layer '{0}' uses tied weights (tied({1} -> {2})), so it cannot have max_norm: its columns are rows of '{2}''s matrix; put max_norm on '{2}' instead");

    // ---- DNET02xx: lint ---------------------------------------------------------------------------------------

    /// <summary>DNET0200: a file that declares no network.</summary>
    public static DiagnosticDescriptorInfo EmptyFile { get; } = Lint("DNET0200",
        "No network in the file", "The file declares no network, so nothing is generated from it");

    /// <summary>DNET0201: a loss/activation pairing that is valid but unusual.</summary>
    public static DiagnosticDescriptorInfo UnusualLossActivation { get; } = Lint("DNET0201",
        "Unusual loss and activation", "Loss '{0}' with {1} output layer '{2}' is unusual: {3}");

    /// <summary>DNET0202: a hidden layer on no path to an output.</summary>
    public static DiagnosticDescriptorInfo UnreachableLayer { get; } = Lint("DNET0202",
        "Layer does not reach an output", "Hidden layer '{0}' is not on any path to an output layer; it is computed but never trained");

    /// <summary>DNET0203: an input nobody reads.</summary>
    public static DiagnosticDescriptorInfo UnusedInput { get; } = Lint("DNET0203",
        "Unused input layer", "Input layer '{0}' is neither a source nor a target of any layer");

    /// <summary>DNET0204: a sparseness penalty over hidden activations outside (0, 1).</summary>
    public static DiagnosticDescriptorInfo SparsenessPenaltyActivation { get; } = Lint("DNET0204",
        "Sparseness penalty needs activations in (0, 1)", "sparseness_penalty compares mean activations with p in (0, 1), but hidden layer '{0}' uses {1}");

    /// <summary>DNET0205: denoising in a network without a sparse input.</summary>
    public static DiagnosticDescriptorInfo DenoisingWithoutSparseInput { get; } = Lint("DNET0205",
        "Denoising without a sparse input", "denoising drops non-zeros of sparse input layers, but network '{0}' has no sparse input; it has no effect");

    /// <summary>DNET0206: marginal cross-entropy with zero_target not below one_target.</summary>
    public static DiagnosticDescriptorInfo MarginalTargetsInverted { get; } = Lint("DNET0206",
        "Marginal targets inverted", "zero_target {0} is not below one_target {1}: every output is penalised whatever its value");

    /// <summary>DNET0207: softmax over a single unit (always 1).</summary>
    public static DiagnosticDescriptorInfo SoftmaxSingleUnit { get; } = Lint("DNET0207",
        "Softmax over one unit", "Layer '{0}' applies softmax to a single unit, whose output is always 1; use sigmoid for one probability");

    /// <summary>DNET0208: a learning-rate schedule whose decay never takes effect within the training's epochs.</summary>
    public static DiagnosticDescriptorInfo ScheduleHasNoEffect { get; } = Lint("DNET0208",
        "Learning-rate schedule has no effect", "schedule = {0} never changes the learning rate during the {1} training epochs: {2}");

    /// <summary>DNET0209: a warm-up as long as the training, so the learning rate never reaches its value.</summary>
    public static DiagnosticDescriptorInfo WarmupCoversTraining { get; } = Lint("DNET0209",
        "Warm-up lasts the whole training", "The warm-up of {0} epochs lasts the whole training ({1} epochs): the learning rate never reaches learning_rate");

    // ---- DNET0999 ---------------------------------------------------------------------------------------------

    /// <summary>DNET0999: something unexpected happened inside the compiler (a bug, not a problem of the file).</summary>
    public static DiagnosticDescriptorInfo InternalError { get; } = new("DNET0999", DnetSeverity.Error,
        "Internal compiler error", "Internal compiler error: {0}. Please report it together with the .dnet file", UsageCategory);

    /// <summary>Every descriptor, in id order.</summary>
    public static EquatableArray<DiagnosticDescriptorInfo> All { get; } = new DiagnosticDescriptorInfo[]
    {
        UnexpectedCharacter, UnterminatedComment, InvalidNumber, ExpectedToken, UnexpectedToken, MissingClosingBrace,
        UnknownKeyword, NestingTooDeep, KeywordAsName, PositionalAfterNamed,
        UnknownName, UnknownArgument, NotAllowedOnLayer, TooManyArguments, DuplicateArgument, MissingArgument,
        DuplicateLayer, MemberNameCollision, DuplicateNetwork, DuplicateClause, DuplicateStatement, UnknownLayer, Cycle,
        MissingInput, MissingOutput, MissingTarget, TargetNotInput, InvalidWidth, ProbabilityOutOfRange,
        SparsenessTargetOutOfRange, NonPositiveLearningRate, InvalidCount, ValueOutOfRange, EmptySearchRange,
        LogRangeNotPositive, IntegerRangeFractional, DefaultOutsideRange, DuplicateChoice, NotTunable,
        InvalidIdentifier, CSharpKeyword, ReservedMemberName, LossNeedsProbabilities, DataScaledWithSoftmax,
        AutoWidthOnHidden, SparseHidden, SparseTargetMismatch, TargetWidthMismatch, DuplicateNamespace,
        NamespaceAfterNetwork, NotSupported, ValueKindMismatch, MissingSource, OutputAsSource, DuplicateSource,
        GeneratedTypeCollision, UnnamedSetting,
        TiedTargetNotASource, TiedEdgeMissing, TiedWidthMismatch, EdgeTiedTwice, TiedChain, MaxNormOnTiedLayer,
        EmptyFile, UnusualLossActivation, UnreachableLayer, UnusedInput, SparsenessPenaltyActivation,
        DenoisingWithoutSparseInput, MarginalTargetsInverted, SoftmaxSingleUnit, ScheduleHasNoEffect, WarmupCoversTraining,
        InternalError,
    }.ToEquatableArray();

    /// <summary>The descriptor with the given id, or null.</summary>
    public static DiagnosticDescriptorInfo? Find(string id) => All.FirstOrDefault(d => d.Id == id);

    /// <summary>Creates a diagnostic: the message is the descriptor's format filled with <paramref name="args"/> (invariant culture).</summary>
    public static DnetDiagnostic Create(DiagnosticDescriptorInfo descriptor, string filePath, SourceSpan span, params object?[] args)
    {
        var message = string.Format(CultureInfo.InvariantCulture, descriptor.MessageFormat, args);
        return new DnetDiagnostic(descriptor.Id, descriptor.Severity, message, filePath ?? string.Empty, span);
    }

    private static DiagnosticDescriptorInfo Syntax(string id, string title, string format) =>
        new(id, DnetSeverity.Error, title, format, SyntaxCategory);

    private static DiagnosticDescriptorInfo Semantic(string id, string title, string format) =>
        new(id, DnetSeverity.Error, title, format, SemanticsCategory);

    private static DiagnosticDescriptorInfo Lint(string id, string title, string format) =>
        new(id, DnetSeverity.Warning, title, format, UsageCategory);
}
