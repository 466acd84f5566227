using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DestinyDsl.Runtime.Kernels.Simd;

/// <summary>One float: the tail of every vector loop, and the path on machines without SIMD. Masks are all-bits-set floats.</summary>
/// <remarks>
/// Every operation gives bitwise the same result as one lane of the vector widths (Exp and Log run the vector
/// algorithm on one lane where SIMD exists, instead of the C runtime's expf/logf), so a row's values do not depend
/// on where it is split into vector steps and a scalar tail — and so not on the thread count either.
/// </remarks>
public readonly struct Scalar : ISimd<Scalar>
{
    private static readonly float TrueMask = BitConverter.Int32BitsToSingle(-1);
    private readonly float _value;

    private Scalar(float value) => _value = value;

    /// <summary>The value.</summary>
    public float Value => _value;

    public static int Count => 1;
    public static Scalar Zero => new(0f);
    public static Scalar One => new(1f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar Create(float value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar Load(ref readonly float source) => new(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Scalar value, ref float destination) => destination = value._value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Scalar value) => value._value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar operator +(Scalar left, Scalar right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar operator -(Scalar left, Scalar right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar operator *(Scalar left, Scalar right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar operator /(Scalar left, Scalar right) => new(left._value / right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar operator -(Scalar value) => new(-value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar MultiplyAdd(Scalar a, Scalar b, Scalar c) => new(MathF.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar Exp(Scalar value)
        => new(Vector128.IsHardwareAccelerated ? Vector128.Exp(Vector128.CreateScalar(value._value)).ToScalar() : MathF.Exp(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar Log(Scalar value)
        => new(Vector128.IsHardwareAccelerated ? VectorLog.Log(Vector128.CreateScalar(value._value)).ToScalar() : MathF.Log(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar Sqrt(Scalar value) => new(MathF.Sqrt(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar Abs(Scalar value) => new(MathF.Abs(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar Min(Scalar left, Scalar right) => new(MathF.Min(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar Max(Scalar left, Scalar right) => new(MathF.Max(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar GreaterThan(Scalar left, Scalar right) => new(left._value > right._value ? TrueMask : 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar LessThan(Scalar left, Scalar right) => new(left._value < right._value ? TrueMask : 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar EqualTo(Scalar left, Scalar right) => new(left._value == right._value ? TrueMask : 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar Select(Scalar mask, Scalar whenTrue, Scalar whenFalse)
        => new(BitConverter.SingleToInt32Bits(mask._value) != 0 ? whenTrue._value : whenFalse._value);
}
