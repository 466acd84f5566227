namespace DestinyDsl.Runtime.Kernels.Simd;

/// <summary>
/// One SIMD register of floats, abstracted so that a formula is written once and compiled by the JIT for every
/// width: <see cref="Simd512"/> (AVX-512), <see cref="Simd256"/> (AVX2), <see cref="Simd128"/> (SSE/NEON) and
/// <see cref="Scalar"/> (the tail, and machines without SIMD). Generated layer ops are generic over this interface
/// (<c>static TV Activate&lt;TV&gt;(TV z) where TV : struct, ISimd&lt;TV&gt;</c>); the runtime's loops pick the widest
/// accelerated width and finish each row with <see cref="Scalar"/>.
/// </summary>
/// <remarks>
/// Comparisons return masks of the same type (all bits set where true), as the <c>Vector*</c> APIs do;
/// <see cref="Select"/> takes such a mask. Every operation is element-wise.
/// </remarks>
public interface ISimd<TSelf> where TSelf : struct, ISimd<TSelf>
{
    /// <summary>Number of floats in one register.</summary>
    static abstract int Count { get; }

    /// <summary>All elements 0.</summary>
    static abstract TSelf Zero { get; }

    /// <summary>All elements 1.</summary>
    static abstract TSelf One { get; }

    /// <summary>Every element set to <paramref name="value"/>.</summary>
    static abstract TSelf Create(float value);

    /// <summary>Loads <see cref="Count"/> floats starting at <paramref name="source"/>.</summary>
    static abstract TSelf Load(ref readonly float source);

    /// <summary>Stores <see cref="Count"/> floats starting at <paramref name="destination"/>.</summary>
    static abstract void Store(TSelf value, ref float destination);

    /// <summary>Sum of all elements.</summary>
    static abstract float Sum(TSelf value);

    static abstract TSelf operator +(TSelf left, TSelf right);
    static abstract TSelf operator -(TSelf left, TSelf right);
    static abstract TSelf operator *(TSelf left, TSelf right);
    static abstract TSelf operator /(TSelf left, TSelf right);
    static abstract TSelf operator -(TSelf value);

    /// <summary><c>a * b + c</c> (fused where the hardware has it).</summary>
    static abstract TSelf MultiplyAdd(TSelf a, TSelf b, TSelf c);

    static abstract TSelf Exp(TSelf value);
    static abstract TSelf Log(TSelf value);
    static abstract TSelf Sqrt(TSelf value);
    static abstract TSelf Abs(TSelf value);
    static abstract TSelf Min(TSelf left, TSelf right);
    static abstract TSelf Max(TSelf left, TSelf right);

    /// <summary>Mask: all bits set where <c>left &gt; right</c>.</summary>
    static abstract TSelf GreaterThan(TSelf left, TSelf right);

    /// <summary>Mask: all bits set where <c>left &lt; right</c>.</summary>
    static abstract TSelf LessThan(TSelf left, TSelf right);

    /// <summary>Mask: all bits set where <c>left == right</c>.</summary>
    static abstract TSelf EqualTo(TSelf left, TSelf right);

    /// <summary>Element-wise <c>mask ? whenTrue : whenFalse</c> (mask from a comparison).</summary>
    static abstract TSelf Select(TSelf mask, TSelf whenTrue, TSelf whenFalse);
}
