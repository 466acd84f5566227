namespace DestinyDsl.Runtime.Data;

/// <summary>
/// A user × item interaction matrix with the ids behind its rows and columns: row r is user
/// <c>Users.ExternalId(r)</c>, column c is item <c>Items.ExternalId(c)</c>.
/// </summary>
public sealed record InteractionData
{
    /// <summary>Pairs the matrix with its index maps; their sizes must match the matrix shape.</summary>
    /// <exception cref="ArgumentException">Users.Count ≠ Matrix.Rows or Items.Count ≠ Matrix.Columns.</exception>
    public InteractionData(SparseMatrix Matrix, IndexMap Users, IndexMap Items)
    {
        ArgumentNullException.ThrowIfNull(Matrix);
        ArgumentNullException.ThrowIfNull(Users);
        ArgumentNullException.ThrowIfNull(Items);
        if (Users.Count != Matrix.Rows) throw new ArgumentException($"{Users.Count} user ids for a matrix of {Matrix.Rows} rows.", nameof(Users));
        if (Items.Count != Matrix.Columns) throw new ArgumentException($"{Items.Count} item ids for a matrix of {Matrix.Columns} columns.", nameof(Items));
        this.Matrix = Matrix;
        this.Users = Users;
        this.Items = Items;
    }

    /// <summary>Rows = users, columns = items; indicator or valued (ratings).</summary>
    public SparseMatrix Matrix { get; }

    /// <summary>User ids of the rows.</summary>
    public IndexMap Users { get; }

    /// <summary>Item ids of the columns.</summary>
    public IndexMap Items { get; }

    /// <summary>Deconstructs into its three parts.</summary>
    public void Deconstruct(out SparseMatrix matrix, out IndexMap users, out IndexMap items)
    {
        matrix = Matrix;
        users = Users;
        items = Items;
    }
}
