using DestinyDsl.Runtime.Specs;

namespace DestinyDsl.Runtime.Engine;

/// <summary>How an edge's weight matrix W[in][out] is split across shards.</summary>
internal enum EdgeSplit
{
    /// <summary>Each shard owns the rows of its input units: forward yields partial full-width sums (reduce-scatter), backward all-gathers the output delta. Used for wide inputs (the sparse input layer).</summary>
    ByInputRows,

    /// <summary>Each shard owns the columns of its output units: forward all-gathers the input activations, backward reduce-scatters the input delta. Used for wide outputs.</summary>
    ByOutputColumns,
}

/// <summary>One weighted connection source → layer.</summary>
/// <param name="Owner">For a tied edge, the edge whose weights it uses transposed (it owns none itself); else -1.</param>
internal sealed record EdgePlan(int Index, int Source, int Target, EdgeSplit Split, int Owner = -1)
{
    /// <summary>True when the edge uses the transpose of another edge's weights.</summary>
    public bool IsTied => Owner >= 0;
}

/// <summary>
/// The executable structure of a network: layers in topological order, edges with their split, and who feeds
/// whom. Built once per model from the spec and the shard count; validates what the compiler could not (widths
/// bound at run time).
/// </summary>
internal sealed class NetworkPlan
{
    private NetworkPlan(NetworkSpec spec, int shards, int[] order, EdgePlan[] edges, int[][] incoming, int[][] outgoing, int[] targets)
    {
        Spec = spec;
        Shards = shards;
        Order = order;
        Edges = edges;
        Incoming = incoming;
        Outgoing = outgoing;
        Targets = targets;
    }

    public NetworkSpec Spec { get; }

    public int Shards { get; }

    /// <summary>Layer indices in topological order (every source before the layers it feeds).</summary>
    public IReadOnlyList<int> Order { get; }

    public IReadOnlyList<EdgePlan> Edges { get; }

    /// <summary>Per layer: indices of the edges into it (in source order).</summary>
    public IReadOnlyList<int[]> Incoming { get; }

    /// <summary>Per layer: indices of the edges out of it.</summary>
    public IReadOnlyList<int[]> Outgoing { get; }

    /// <summary>Per layer: for outputs the index of the input layer holding the targets, else -1.</summary>
    public IReadOnlyList<int> Targets { get; }

    public LayerSpec Layer(int index) => Spec.Layers[index];

    /// <summary>True when some edge out of the layer needs its full (all-gathered) activations.</summary>
    public bool NeedsGatheredActivations(int layer) => Outgoing[layer].Any(e => Edges[e].Split == EdgeSplit.ByOutputColumns);

    /// <summary>True when some edge into the layer needs its full (all-gathered) delta.</summary>
    public bool NeedsGatheredDelta(int layer) => Incoming[layer].Any(e => Edges[e].Split == EdgeSplit.ByInputRows);

    /// <summary>True when a delta must be computed for the layer (hidden layers; inputs need none).</summary>
    public bool NeedsDelta(int layer) => Spec.Layers[layer].Kind != LayerKind.Input;

    /// <summary>Checks the spec and builds the plan. Throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static NetworkPlan Build(NetworkSpec spec, int shards)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "A model needs at least one shard.");
        var layers = spec.Layers;
        if (layers.Count == 0) throw new ArgumentException($"Network '{spec.Name}' has no layers.", nameof(spec));
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            if (!index.TryAdd(l.Name, i)) throw new ArgumentException($"Network '{spec.Name}' declares layer '{l.Name}' twice.", nameof(spec));
            if (l.Width <= 0) throw new ArgumentException($"Layer '{l.Name}' has width {l.Width}; widths must be positive.", nameof(spec));
            if (l.Dropout is < 0f or >= 1f) throw new ArgumentException($"Layer '{l.Name}' has dropout {l.Dropout}; it must be in [0, 1).", nameof(spec));
        }
        if (!layers.Any(l => l.Kind == LayerKind.Input)) throw new ArgumentException($"Network '{spec.Name}' has no input layer.", nameof(spec));
        if (!layers.Any(l => l.Kind == LayerKind.Output)) throw new ArgumentException($"Network '{spec.Name}' has no output layer.", nameof(spec));

        var edges = new List<EdgePlan>();
        var incoming = new List<int>[layers.Count];
        var outgoing = new List<int>[layers.Count];
        for (var i = 0; i < layers.Count; i++) { incoming[i] = new(); outgoing[i] = new(); }
        var targets = new int[layers.Count];
        for (var i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            targets[i] = -1;
            if (l.Kind == LayerKind.Input)
            {
                if (l.Sources.Count > 0) throw new ArgumentException($"Input layer '{l.Name}' cannot have sources.", nameof(spec));
                continue;
            }
            if (l.Sources.Count == 0) throw new ArgumentException($"Layer '{l.Name}' has no source.", nameof(spec));
            foreach (var sourceName in l.Sources)
            {
                if (!index.TryGetValue(sourceName, out var s)) throw new ArgumentException($"Layer '{l.Name}' names source '{sourceName}', which is not a layer of '{spec.Name}'.", nameof(spec));
                if (layers[s].Kind == LayerKind.Output) throw new ArgumentException($"Layer '{l.Name}' names output layer '{sourceName}' as a source.", nameof(spec));
                if (incoming[i].Any(e => edges[e].Source == s)) throw new ArgumentException($"Layer '{l.Name}' names source '{sourceName}' twice.", nameof(spec));
                var split = ChooseSplit(layers[s], l);
                var edge = new EdgePlan(edges.Count, s, i, split);
                edges.Add(edge);
                incoming[i].Add(edge.Index);
                outgoing[s].Add(edge.Index);
            }
            if (l.Kind == LayerKind.Output)
            {
                if (l.Target is null) throw new ArgumentException($"Output layer '{l.Name}' has no target.", nameof(spec));
                if (!index.TryGetValue(l.Target, out var t) || layers[t].Kind != LayerKind.Input)
                    throw new ArgumentException($"Output layer '{l.Name}' targets '{l.Target}', which is not an input layer of '{spec.Name}'.", nameof(spec));
                if (layers[t].Width != l.Width)
                    throw new ArgumentException($"Output layer '{l.Name}' has width {l.Width} but its target '{l.Target}' has width {layers[t].Width}.", nameof(spec));
                targets[i] = t;
            }
        }
        ResolveTies(spec, index, edges, incoming);
        var order = TopologicalOrder(spec, incoming.Select(list => list.Select(e => edges[e].Source).ToArray()).ToArray());
        return new NetworkPlan(spec, shards, order, edges.ToArray(), incoming.Select(l => l.ToArray()).ToArray(), outgoing.Select(l => l.ToArray()).ToArray(), targets);
    }

    /// <summary>Per edge: the tied edge that uses its weights transposed, or -1.</summary>
    public int TiedUserOf(int edge)
    {
        foreach (var e in Edges) if (e.Owner == edge) return e.Index;
        return -1;
    }

    /// <summary>
    /// Marks each tied edge b → L with its owner a → b and gives it the mirror of the owner's split, so that every
    /// shard's block of the owner is exactly the transposed block the tied use needs (the owner split by its input
    /// rows a ⇔ the tied edge split by its output columns L, whose units are a's: same width, same ranges).
    /// </summary>
    private static void ResolveTies(NetworkSpec spec, Dictionary<string, int> index, List<EdgePlan> edges, List<int>[] incoming)
    {
        var layers = spec.Layers;
        var owned = new HashSet<int>();
        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i].Tied is not { } tie) continue;
            var l = layers[i];
            var what = $"Layer '{l.Name}' is tied to the transpose of edge {tie.Source} -> {tie.Target}";
            if (!index.TryGetValue(tie.Source, out var a) || !index.TryGetValue(tie.Target, out var b))
                throw new ArgumentException($"{what}, but '{(index.ContainsKey(tie.Source) ? tie.Target : tie.Source)}' is not a layer of '{spec.Name}'.", nameof(spec));
            var tied = incoming[i].Select(e => edges[e]).FirstOrDefault(e => e.Source == b)
                ?? throw new ArgumentException($"{what}, but '{tie.Target}' is not one of its sources.", nameof(spec));
            var owner = incoming[b].Select(e => edges[e]).FirstOrDefault(e => e.Source == a)
                ?? throw new ArgumentException($"{what}, but '{tie.Source}' is not a source of '{tie.Target}'.", nameof(spec));
            if (layers[b].Tied is { } chained && chained.Target == tie.Source)
                throw new ArgumentException($"{what}, which is itself tied; name the edge that owns the weights.", nameof(spec));
            if (!owned.Add(owner.Index))
                throw new ArgumentException($"{what}, which another layer already ties; an edge's weights may be reused by one other edge.", nameof(spec));
            if (l.MaxNorm > 0f) throw new ArgumentException($"{what}, so it cannot have max_norm (put it on '{tie.Target}').", nameof(spec));
            if (l.Width != layers[a].Width)
                throw new ArgumentException($"{what} (a {layers[a].Width}×{layers[b].Width} matrix), so it must be as wide as '{tie.Source}' ({layers[a].Width}), but it has width {l.Width}.", nameof(spec));
            var mirror = owner.Split == EdgeSplit.ByInputRows ? EdgeSplit.ByOutputColumns : EdgeSplit.ByInputRows;
            edges[tied.Index] = tied with { Split = mirror, Owner = owner.Index };
        }
    }

    /// <summary>
    /// DSSTNE's rule: split along the wide side so only the narrow side's activations and deltas move. Sparse
    /// inputs are always split by their rows, because their data is sharded by feature at load time.
    /// </summary>
    private static EdgeSplit ChooseSplit(LayerSpec source, LayerSpec target)
        => source.Kind == LayerKind.Input && source.Sparse ? EdgeSplit.ByInputRows
            : 3L * target.Width > 2L * source.Width ? EdgeSplit.ByOutputColumns
            : EdgeSplit.ByInputRows;

    private static int[] TopologicalOrder(NetworkSpec spec, int[][] sources)
    {
        var state = new byte[sources.Length]; // 0 new, 1 on the stack, 2 done
        var order = new List<int>(sources.Length);
        for (var root = 0; root < sources.Length; root++)
        {
            if (state[root] != 0) continue;
            var stack = new Stack<(int Layer, int Next)>();
            stack.Push((root, 0));
            state[root] = 1;
            while (stack.Count > 0)
            {
                var (layer, next) = stack.Pop();
                if (next < sources[layer].Length)
                {
                    stack.Push((layer, next + 1));
                    var s = sources[layer][next];
                    if (state[s] == 1) throw new ArgumentException($"Network '{spec.Name}' has a cycle through layer '{spec.Layers[s].Name}'.", nameof(spec));
                    if (state[s] == 0) { state[s] = 1; stack.Push((s, 0)); }
                    continue;
                }
                state[layer] = 2;
                order.Add(layer);
            }
        }
        return order.ToArray();
    }
}
