namespace DestinyDsl.Runtime.Tuning.Optimization;

/// <summary>
/// Sobol low-discrepancy sequence in up to <see cref="MaxDimensions"/> dimensions, Gray-code order, 32-bit, with the
/// direction numbers of S. Joe and F. Y. Kuo (new-joe-kuo-6.21201, the table SciPy uses), optionally with a random
/// digital shift (XOR of a random 32-bit word per dimension; it keeps the net's stratification).
/// Unshifted, point 1 is (½, ½, …), point 2 is (¾, ¼, …), point 3 is (¼, ¾, …) as in SciPy's unscrambled sequence.
/// </summary>
public sealed class SobolSequence
{
    /// <summary>Dimensions covered by the built-in direction-number table.</summary>
    public const int MaxDimensions = 40;

    // Joe–Kuo rows for dimensions 2..40: degree s, polynomial coefficient a, initial direction numbers m_1..m_s.
    private static readonly int[][] JoeKuo =
    [
        [1, 0, 1], [2, 1, 1, 3], [3, 1, 1, 3, 1], [3, 2, 1, 1, 1], [4, 1, 1, 1, 3, 3], [4, 4, 1, 3, 5, 13],
        [5, 2, 1, 1, 5, 5, 17], [5, 4, 1, 1, 5, 5, 5], [5, 7, 1, 1, 7, 11, 19], [5, 11, 1, 1, 5, 1, 1],
        [5, 13, 1, 1, 1, 3, 11], [5, 14, 1, 3, 5, 5, 31], [6, 1, 1, 3, 3, 9, 7, 49], [6, 13, 1, 1, 1, 15, 21, 21],
        [6, 16, 1, 3, 1, 13, 27, 49], [6, 19, 1, 1, 1, 15, 7, 5], [6, 22, 1, 3, 1, 15, 13, 25],
        [6, 25, 1, 1, 5, 5, 19, 61], [7, 1, 1, 3, 7, 11, 23, 15, 103], [7, 4, 1, 3, 7, 13, 13, 15, 69],
        [7, 7, 1, 1, 3, 13, 7, 35, 63], [7, 8, 1, 3, 5, 9, 1, 25, 53], [7, 14, 1, 3, 1, 13, 9, 35, 107],
        [7, 19, 1, 3, 1, 5, 27, 61, 31], [7, 21, 1, 1, 5, 11, 19, 41, 61], [7, 28, 1, 3, 5, 3, 3, 13, 69],
        [7, 31, 1, 1, 7, 13, 1, 19, 1], [7, 32, 1, 3, 7, 5, 13, 19, 59], [7, 37, 1, 1, 3, 9, 25, 29, 41],
        [7, 41, 1, 3, 5, 13, 23, 1, 55], [7, 42, 1, 3, 7, 3, 13, 59, 17], [7, 50, 1, 3, 1, 3, 5, 53, 69],
        [7, 55, 1, 1, 5, 5, 23, 33, 13], [7, 56, 1, 1, 7, 7, 1, 61, 123], [7, 59, 1, 1, 7, 9, 13, 61, 49],
        [7, 62, 1, 3, 3, 5, 3, 55, 33], [8, 14, 1, 3, 1, 15, 31, 13, 49, 245], [8, 21, 1, 3, 5, 15, 31, 59, 63, 97],
        [8, 22, 1, 3, 1, 11, 11, 11, 77, 249],
    ];

    private const int Bits = 32;
    private readonly uint[][] _directions;
    private readonly uint[] _shift;

    /// <summary>An unshifted sequence.</summary>
    public SobolSequence(int dimensions) : this(dimensions, null) { }

    /// <summary>A sequence with a random digital shift drawn from <paramref name="random"/> (none when null).</summary>
    public SobolSequence(int dimensions, Random? random)
    {
        if (dimensions < 1 || dimensions > MaxDimensions)
            throw new ArgumentOutOfRangeException(nameof(dimensions), $"1 to {MaxDimensions} dimensions.");
        Dimensions = dimensions;
        _directions = new uint[dimensions][];
        for (var j = 0; j < dimensions; j++)
        {
            var v = new uint[Bits];
            if (j == 0)
            {
                for (var k = 0; k < Bits; k++)
                    v[k] = 1u << (Bits - 1 - k);
            }
            else
            {
                var row = JoeKuo[j - 1];
                int s = row[0], a = row[1];
                for (var k = 0; k < Math.Min(s, Bits); k++)
                    v[k] = (uint)row[2 + k] << (Bits - 1 - k);
                for (var k = s; k < Bits; k++)
                {
                    var x = v[k - s] ^ (v[k - s] >> s);
                    for (var i = 1; i < s; i++)
                        if (((a >> (s - 1 - i)) & 1) != 0)
                            x ^= v[k - i];
                    v[k] = x;
                }
            }
            _directions[j] = v;
        }
        _shift = new uint[dimensions];
        if (random is not null)
            for (var j = 0; j < dimensions; j++)
                _shift[j] = (uint)random.NextInt64(0, 1L << 32);
    }

    /// <summary>Number of dimensions.</summary>
    public int Dimensions { get; }

    /// <summary>Point <paramref name="index"/> (0-based) of the sequence, written into <paramref name="point"/>.</summary>
    public void Point(long index, Span<double> point)
    {
        if (index < 0 || index >= 1L << Bits)
            throw new ArgumentOutOfRangeException(nameof(index));
        var gray = (ulong)index ^ ((ulong)index >> 1);
        for (var j = 0; j < Dimensions; j++)
        {
            var x = _shift[j];
            var v = _directions[j];
            var g = gray;
            for (var k = 0; g != 0; k++, g >>= 1)
                if ((g & 1) != 0)
                    x ^= v[k];
            point[j] = x / 4294967296.0;
        }
    }

    /// <summary>Point <paramref name="index"/> as a new array.</summary>
    public double[] Point(long index)
    {
        var point = new double[Dimensions];
        Point(index, point);
        return point;
    }
}
