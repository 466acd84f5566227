using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DestinyDsl.Runtime.Kernels.Simd;

/// <summary>4 floats (SSE, NEON).</summary>
public readonly struct Simd128 : ISimd<Simd128>
{
    private readonly Vector128<float> _value;

    private Simd128(Vector128<float> value) => _value = value;

    /// <summary>The register.</summary>
    public Vector128<float> Value => _value;

    /// <summary>True when this width runs in hardware.</summary>
    public static bool IsHardwareAccelerated => Vector128.IsHardwareAccelerated;

    public static int Count => Vector128<float>.Count;
    public static Simd128 Zero => new(Vector128<float>.Zero);
    public static Simd128 One => new(Vector128<float>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Create(float value) => new(Vector128.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Load(ref readonly float source) => new(Vector128.LoadUnsafe(in source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Simd128 value, ref float destination) => value._value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Simd128 value) => Vector128.Sum(value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator +(Simd128 left, Simd128 right) => new(left._value + right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator -(Simd128 left, Simd128 right) => new(left._value - right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator *(Simd128 left, Simd128 right) => new(left._value * right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator /(Simd128 left, Simd128 right) => new(left._value / right._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 operator -(Simd128 value) => new(-value._value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 MultiplyAdd(Simd128 a, Simd128 b, Simd128 c) => new(Vector128.FusedMultiplyAdd(a._value, b._value, c._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Exp(Simd128 value) => new(Vector128.Exp(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Log(Simd128 value) => new(VectorLog.Log(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Sqrt(Simd128 value) => new(Vector128.Sqrt(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Abs(Simd128 value) => new(Vector128.Abs(value._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Min(Simd128 left, Simd128 right) => new(Vector128.Min(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Max(Simd128 left, Simd128 right) => new(Vector128.Max(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 GreaterThan(Simd128 left, Simd128 right) => new(Vector128.GreaterThan(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 LessThan(Simd128 left, Simd128 right) => new(Vector128.LessThan(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 EqualTo(Simd128 left, Simd128 right) => new(Vector128.Equals(left._value, right._value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd128 Select(Simd128 mask, Simd128 whenTrue, Simd128 whenFalse) => new(Vector128.ConditionalSelect(mask._value, whenTrue._value, whenFalse._value));
}
