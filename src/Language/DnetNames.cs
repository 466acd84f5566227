namespace DestinyDsl.Language;

/// <summary>
/// How <c>.dnet</c> names become C# names, and which C# names the generated class already uses. The binder
/// checks names with these rules and the generator emits names with the same <see cref="ToPascalCase"/>, so a
/// name the binder accepts always compiles.
/// </summary>
public static class DnetNames
{
    private static readonly HashSet<string> CSharpKeywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    private static readonly HashSet<string> InheritedMembers = new(StringComparer.Ordinal)
    {
        // DestinyDsl.Runtime.Model
        "Spec", "Kernels", "Devices", "Step", "RefreshSpec", "Train", "Loss", "Evaluate", "Predict", "Recommend",
        "RecommendAll", "GetWeights", "GetBias", "Save", "Load", "Dispose",
        // System.Object
        "Equals", "GetHashCode", "ToString", "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals",
    };

    private static readonly HashSet<string> GeneratedMembers = new(StringComparer.Ordinal)
    {
        "Options", "NetworkHash", "SearchSpace", "Bind", "CreateSpec", "CreateKernels", "Tune", "TuneAsync",
    };

    private static readonly HashSet<string> UpdateRulePrefixes = new(StringComparer.OrdinalIgnoreCase)
    {
        "Sgd", "SgdMomentum", "Momentum", "Nesterov", "AdaGrad", "RmsProp", "AdaDelta", "Adam",
    };

    private static readonly HashSet<string> TypedMethodParameters = new(StringComparer.Ordinal)
    {
        "options", "progress", "cancellationToken", "heldOut", "k", "row", "excludeSeen", "devices",
    };

    /// <summary>
    /// The C# member name of a <c>.dnet</c> name: split at '_', upper-case the first letter of each part, join
    /// (<c>h1</c> → <c>H1</c>, <c>learning_rate</c> → <c>LearningRate</c>, <c>myLayer</c> → <c>MyLayer</c>).
    /// </summary>
    public static string ToPascalCase(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length);
        foreach (var part in name.Split('_'))
        {
            if (part.Length == 0) continue;
            builder.Append(char.ToUpperInvariant(part[0]));
            builder.Append(part, 1, part.Length - 1);
        }
        return builder.ToString();
    }

    /// <summary>The camelCase form used for parameters (<c>items</c> → <c>items</c>, <c>user_items</c> → <c>userItems</c>).</summary>
    public static string ToCamelCase(string name)
    {
        var pascal = ToPascalCase(name);
        return pascal.Length == 0 ? pascal : char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
    }

    /// <summary>True for C#'s reserved keywords (which cannot be identifiers without '@').</summary>
    public static bool IsCSharpKeyword(string name) => CSharpKeywords.Contains(name);

    /// <summary>True when <paramref name="name"/> is a valid C# identifier made of ASCII letters, digits and '_'.</summary>
    public static bool IsValidIdentifier(string name)
    {
        if (name.Length == 0 || !(char.IsLetter(name[0]) || name[0] == '_')) return false;
        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c == '_')) return false;
        }
        return !IsCSharpKeyword(name);
    }

    /// <summary>
    /// What a layer's C# member name (<paramref name="member"/>, already PascalCase) would collide with in the
    /// generated class of <paramref name="networkName"/>, or null when it is free. <paramref name="layerMembers"/>
    /// are the members of every layer of the network (their <c>&lt;Layer&gt;Ops</c> structs are generated too).
    /// </summary>
    public static string? FindMemberCollision(string member, string networkName, ICollection<string> layerMembers)
    {
        if (member == networkName) return "the network's class name (a member cannot have the name of its class)";
        if (InheritedMembers.Contains(member)) return "a member inherited from DestinyDsl.Runtime.Model or System.Object";
        if (GeneratedMembers.Contains(member)) return "a member of the generated class";
        if (member.EndsWith("Update", StringComparison.Ordinal) && UpdateRulePrefixes.Contains(member.Substring(0, member.Length - "Update".Length)))
            return "a generated update-rule struct";
        if (member.EndsWith("Ops", StringComparison.Ordinal))
        {
            var owner = member.Substring(0, member.Length - "Ops".Length);
            if (layerMembers.Contains(owner)) return $"the generated struct '{member}' that holds the operations of layer '{owner}'";
        }
        return null;
    }

    /// <summary>True when an input layer's name is a parameter name of the generated typed methods (Train, Evaluate…).</summary>
    public static bool IsTypedMethodParameter(string name) => TypedMethodParameters.Contains(name) || TypedMethodParameters.Contains(ToCamelCase(name));
}
