using DestinyDsl.Language.Diagnostics;
using DestinyDsl.Language.Model;
using DestinyDsl.Language.Syntax;

namespace DestinyDsl.Language.Binding;

/// <summary>Binds a parsed file: the namespace, every network, and the file-level checks.</summary>
internal static class Binder
{
    public static List<NetworkModel> Bind(DnetSyntaxTree tree, string? defaultNamespace, DiagnosticBag diagnostics)
    {
        var context = new BindingContext(diagnostics, tree.Text);
        var names = new NameChecks(context);
        NamespaceDeclarationSyntax? declared = null;
        NetworkDeclarationSyntax? firstNetwork = null;
        var networks = new List<NetworkDeclarationSyntax>();
        foreach (var declaration in tree.Root.Declarations)
        {
            switch (declaration)
            {
                case NamespaceDeclarationSyntax ns when declared is not null:
                    context.Report(DiagnosticCatalog.DuplicateNamespace, ns.Keyword.Span, declared.Keyword.Span.StartLine + 1);
                    break;
                case NamespaceDeclarationSyntax ns when firstNetwork is not null:
                    context.Report(DiagnosticCatalog.NamespaceAfterNetwork, ns.Keyword.Span, firstNetwork.Keyword.Span.StartLine + 1);
                    break;
                case NamespaceDeclarationSyntax ns:
                    declared = ns;
                    names.CheckNamespace(ns);
                    break;
                case NetworkDeclarationSyntax network:
                    firstNetwork ??= network;
                    networks.Add(network);
                    break;
            }
        }

        var @namespace = declared is not null && declared.NameParts.All(p => !p.IsMissing)
            ? declared.Name
            : string.IsNullOrWhiteSpace(defaultNamespace) ? null : defaultNamespace;

        CheckNetworkNames(context, networks);

        var models = new List<NetworkModel>();
        var binder = new NetworkBinder(context);
        foreach (var network in networks)
        {
            var model = binder.Bind(network, @namespace, diagnostics.FilePath);
            if (model is not null) models.Add(model);
        }

        if (networks.Count == 0 && !diagnostics.HasErrors)
            context.Report(DiagnosticCatalog.EmptyFile, tree.Text.GetSpan(0, 0));
        return models;
    }

    private static void CheckNetworkNames(BindingContext context, List<NetworkDeclarationSyntax> networks)
    {
        var byName = new Dictionary<string, NetworkDeclarationSyntax>(StringComparer.Ordinal);
        foreach (var network in networks)
        {
            if (network.Name.IsMissing) continue;
            if (byName.TryGetValue(network.Name.Text, out var first))
                context.Report(DiagnosticCatalog.DuplicateNetwork, network.Name.Span, network.Name.Text, first.Name.Span.StartLine + 1);
            else
                byName.Add(network.Name.Text, network);
        }
        foreach (var network in byName.Values)
        {
            var name = network.Name.Text;
            if (name.EndsWith("Options", StringComparison.Ordinal) && byName.ContainsKey(name.Substring(0, name.Length - "Options".Length)))
                context.Report(DiagnosticCatalog.GeneratedTypeCollision, network.Name.Span, name, name.Substring(0, name.Length - "Options".Length));
        }
    }
}
