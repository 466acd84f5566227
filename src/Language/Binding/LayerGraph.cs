using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;
using DestinyDsl.Language.Syntax;

namespace DestinyDsl.Language.Binding;

/// <summary>
/// The layers of one network as a graph: resolves sources (explicit, or the layer declared just before) and
/// targets, finds cycles (sources may name later layers), orders the layers so every layer follows its sources,
/// and finds layers that feed no output. Iterative throughout, linear in layers plus edges.
/// </summary>
internal sealed class LayerGraph
{
    private readonly BindingContext _context;
    private readonly IReadOnlyList<BoundLayer> _layers;
    private readonly string _network;
    private readonly Dictionary<string, int> _byName;
    private readonly string[] _names;

    /// <param name="byName">First declaration of each name (duplicates already reported).</param>
    public LayerGraph(BindingContext context, IReadOnlyList<BoundLayer> layers, Dictionary<string, int> byName, string network)
    {
        _context = context;
        _layers = layers;
        _byName = byName;
        _network = network;
        _names = byName.Keys.ToArray();
    }

    public bool HasCycle { get; private set; }

    public void ResolveSources()
    {
        foreach (var layer in _layers)
        {
            if (layer.Kind == LayerKind.Input) continue;
            if (layer.SourcesClause is { } clause)
            {
                var seen = new HashSet<int>();
                foreach (var name in clause.Names)
                {
                    if (name.IsMissing) continue;
                    if (!TryResolve(name, out var source)) continue;
                    if (!seen.Add(source))
                    {
                        _context.Report(DiagnosticCatalog.DuplicateSource, name.Span, layer.Name, name.Text);
                        continue;
                    }
                    if (_layers[source].Kind == LayerKind.Output)
                        _context.Report(DiagnosticCatalog.OutputAsSource, name.Span, layer.Name, name.Text, string.Empty);
                    layer.Sources.Add(source);
                }
            }
            else if (layer.Index == 0)
            {
                if (layer.HasName) _context.Report(DiagnosticCatalog.MissingSource, layer.NameSpan, layer.Name);
            }
            else
            {
                var previous = _layers[layer.Index - 1];
                if (previous.Kind == LayerKind.Output && layer.HasName && previous.HasName)
                    _context.Report(DiagnosticCatalog.OutputAsSource, layer.NameSpan, layer.Name, previous.Name, " (by default, the layer declared just before it); name its source with '<-'");
                layer.Sources.Add(previous.Index);
            }
        }
    }

    public void ResolveTargets()
    {
        foreach (var layer in _layers)
        {
            if (layer.TargetClause is not { Name.IsMissing: false } clause) continue;
            if (!TryResolve(clause.Name, out var target)) continue;
            var kind = _layers[target].Kind;
            if (kind != LayerKind.Input)
            {
                _context.Report(DiagnosticCatalog.TargetNotInput, clause.Name.Span, layer.Name, clause.Name.Text, kind == LayerKind.Hidden ? "a hidden" : "an output");
                continue;
            }
            layer.Target = target;
        }
    }

    private bool TryResolve(SyntaxToken name, out int index)
    {
        if (_byName.TryGetValue(name.Text, out index)) return true;
        var guess = Suggestions.Best(name.Text, _names, _context.Budget);
        _context.Report(DiagnosticCatalog.UnknownLayer, name.Span, _network, Lexer.Abbreviate(name.Text), Suggestions.Suffix(name.Text, guess, keyword: false));
        return false;
    }

    /// <summary>Reports every cycle once (one diagnostic per strongly connected component), Tarjan's algorithm without recursion.</summary>
    public void FindCycles()
    {
        var n = _layers.Count;
        var index = new int[n];
        var low = new int[n];
        var onStack = new bool[n];
        for (var i = 0; i < n; i++) index[i] = -1;
        var stack = new Stack<int>();
        var work = new Stack<(int Node, int Edge)>();
        var counter = 0;

        for (var root = 0; root < n; root++)
        {
            if (index[root] >= 0) continue;
            work.Push((root, 0));
            while (work.Count > 0)
            {
                var (node, edge) = work.Pop();
                if (edge == 0)
                {
                    index[node] = low[node] = counter++;
                    stack.Push(node);
                    onStack[node] = true;
                }
                var sources = _layers[node].Sources;
                if (edge < sources.Count)
                {
                    work.Push((node, edge + 1));
                    var next = sources[edge];
                    if (index[next] < 0) work.Push((next, 0));
                    else if (onStack[next]) low[node] = Math.Min(low[node], index[next]);
                    continue;
                }
                // All edges done: propagate to the parent and pop a component if this is its root.
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }
                if (low[node] == index[node])
                {
                    var component = new List<int>();
                    int member;
                    do
                    {
                        member = stack.Pop();
                        onStack[member] = false;
                        component.Add(member);
                    }
                    while (member != node);
                    if (component.Count > 1 || _layers[node].Sources.Contains(node)) ReportCycle(component);
                }
            }
        }
    }

    private void ReportCycle(List<int> component)
    {
        HasCycle = true;
        var members = new HashSet<int>(component);
        var first = component.Min();
        // Walk back to the first layer inside the component: BFS over sources gives a shortest cycle through it.
        var previous = new Dictionary<int, int>();
        var queue = new Queue<int>();
        queue.Enqueue(first);
        var closing = -1;
        while (queue.Count > 0 && closing < 0)
        {
            var node = queue.Dequeue();
            foreach (var source in _layers[node].Sources)
            {
                if (!members.Contains(source)) continue;
                if (source == first)
                {
                    closing = node;
                    break;
                }
                if (previous.ContainsKey(source)) continue;
                previous[source] = node;
                queue.Enqueue(source);
            }
        }
        var path = new List<string> { _layers[first].Name };
        for (var node = closing; node != first && node >= 0 && path.Count <= component.Count; node = previous.TryGetValue(node, out var p) ? p : -1)
            path.Add(_layers[node].Name);
        path.Reverse();
        path.Insert(0, _layers[first].Name);
        var text = path.Count > 12 ? string.Join(" <- ", path.Take(11)) + " <- …" : string.Join(" <- ", path);

        // Point at the first layer's reference into the cycle (or at its name when the source was implicit).
        var nextInCycle = path.Count > 1 ? path[1] : _layers[first].Name;
        var span = _layers[first].SourcesClause?.Names.FirstOrDefault(t => t.Text == nextInCycle)?.Span ?? _layers[first].NameSpan;
        _context.Report(DiagnosticCatalog.Cycle, span, text);
    }

    /// <summary>Every layer after its sources; declaration order wherever it already is one. Call only without cycles.</summary>
    public List<int> TopologicalOrder()
    {
        var n = _layers.Count;
        var state = new byte[n]; // 0 new, 1 in progress, 2 done
        var order = new List<int>(n);
        var work = new Stack<(int Node, int Edge)>();
        for (var root = 0; root < n; root++)
        {
            if (state[root] != 0) continue;
            work.Push((root, 0));
            state[root] = 1;
            while (work.Count > 0)
            {
                var (node, edge) = work.Pop();
                var sources = _layers[node].Sources;
                if (edge < sources.Count)
                {
                    work.Push((node, edge + 1));
                    var next = sources[edge];
                    if (state[next] == 0)
                    {
                        state[next] = 1;
                        work.Push((next, 0));
                    }
                    continue;
                }
                state[node] = 2;
                order.Add(node);
            }
        }
        return order;
    }

    /// <summary>Warns about hidden layers that feed no output and inputs nothing reads.</summary>
    public void ReportUnused()
    {
        var n = _layers.Count;
        var feedsOutput = new bool[n];
        var used = new bool[n];
        var pending = new Stack<int>();
        foreach (var layer in _layers)
        {
            foreach (var source in layer.Sources) used[source] = true;
            if (layer.Target is { } target) used[target] = true;
            if (layer.Kind == LayerKind.Output)
            {
                feedsOutput[layer.Index] = true;
                pending.Push(layer.Index);
            }
        }
        while (pending.Count > 0)
        {
            foreach (var source in _layers[pending.Pop()].Sources)
            {
                if (feedsOutput[source]) continue;
                feedsOutput[source] = true;
                pending.Push(source);
            }
        }
        foreach (var layer in _layers)
        {
            if (!layer.HasName) continue;
            if (layer.Kind == LayerKind.Hidden && !feedsOutput[layer.Index])
                _context.Report(DiagnosticCatalog.UnreachableLayer, layer.NameSpan, layer.Name);
            else if (layer.Kind == LayerKind.Input && !used[layer.Index])
                _context.Report(DiagnosticCatalog.UnusedInput, layer.NameSpan, layer.Name);
        }
    }
}
