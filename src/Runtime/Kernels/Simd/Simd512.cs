using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DestinyDsl.Runtime.Kernels.Simd;

/// <summary>16 floats (AVX-512).</summary>
public readonly struct Simd512 : ISimd<Simd512>
{
    private readonly Vector512<float> _value;

    private Simd512(Vector512<float> value) => _value = value;

    /// <summary>The register.</summary>
    public Vector512<float> Value => _value;

    /// <summary>True when this width runs in hardware.</summary>
    public static bool IsHardwareAccelerated => Vector512.IsHardwareAccelerated;

    public static int Count => Vector512<float>.Count;
    public static Simd512 Zero => new(Vector512<float>.Zero);
    public static Simd512 One => new(Vector512<float>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Create(float value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Load(ref readonly float source) => new(Vector512.LoadUnsafe(in source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd512 value, ref float destination) => value._value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Simd512 value) => Vector512.Sum(value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator +(Simd512 left, Simd512 right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator -(Simd512 left, Simd512 right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator *(Simd512 left, Simd512 right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator /(Simd512 left, Simd512 right) => new(left._value / right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 operator -(Simd512 value) => new(-value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 MultiplyAdd(Simd512 a, Simd512 b, Simd512 c) => new(Vector512.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Exp(Simd512 value) => new(Vector512.Exp(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Log(Simd512 value) => new(VectorLog.Log(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Sqrt(Simd512 value) => new(Vector512.Sqrt(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Abs(Simd512 value) => new(Vector512.Abs(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Min(Simd512 left, Simd512 right) => new(Vector512.Min(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Max(Simd512 left, Simd512 right) => new(Vector512.Max(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 GreaterThan(Simd512 left, Simd512 right) => new(Vector512.GreaterThan(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 LessThan(Simd512 left, Simd512 right) => new(Vector512.LessThan(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 EqualTo(Simd512 left, Simd512 right) => new(Vector512.Equals(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512 Select(Simd512 mask, Simd512 whenTrue, Simd512 whenFalse) => new(Vector512.ConditionalSelect(mask._value, whenTrue._value, whenFalse._value));
}
