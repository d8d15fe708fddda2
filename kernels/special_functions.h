// Special functions shared by both backends. Written here rather than taken from
// each platform's math library so that CPU and GPU draw the same numbers, and so
// that the CPU's vector lanes (kernels/lanes.h) compute exactly what its scalar
// code computes: each function is a template over a scalar or a lane vector,
// branch-free where lanes need it.
#pragma once

#include <cmath>

#include "kernels/float_bits.h"
#include "kernels/lanes.h"
#include "kernels/platform.h"

namespace condor {

// Natural log of x > 0, finite, double precision (subnormals included; 0,
// negatives, inf and NaN are outside the domain). The method of fdlibm's
// e_log.c (Sun Microsystems, 1993): x = 2^k m with m in [sqrt(2)/2, sqrt(2)),
// f = m - 1, s = f / (2 + f), ln m = 2 atanh(s) = f - f^2/2 + s (f^2/2 + R(s^2)),
// R its Remez polynomial (the published coefficients Lg1..Lg7); error below
// 1 ulp (tests/test_special_functions.cpp measures it against libm).
template <class T>
CONDOR_HD CONDOR_ALWAYS_INLINE T log_positive_f64(T x) {
    const auto tiny = x < 2.2250738585072014e-308;  // subnormal: scale into the normal range
    x = select(tiny, x * 0x1p54, x);
    const auto ix = to_bits(x);
    // Bias the high word so that the exponent field rounds m into [sqrt(2)/2, sqrt(2)).
    auto hx = (ix >> 32) + (0x3ff00000u - 0x3fe6a09eu);
    // k = exponent - 1023, converted exactly by the 2^52 trick (no int-to-double instruction).
    const T k = from_bits((hx >> 20) | 0x4330000000000000ull, x) - (4503599627370496.0 + 1023.0) -
                select(tiny, T{} + 54.0, T{});
    hx = (hx & 0x000fffffu) + 0x3fe6a09eu;
    const T m = from_bits((hx << 32) | (ix & 0xffffffffu), x);
    const T f = m - 1.0;
    const T half_f2 = 0.5 * f * f;
    const T s = f / (2.0 + f);
    const T z = s * s, w = z * z;
    const T even = w * (3.999999999940941908e-01 + w * (2.222219843214978396e-01 + w * 1.531383769920937332e-01));
    const T odd = z * (6.666666666666735130e-01 +
                       w * (2.857142874366239149e-01 + w * (1.818357216161805012e-01 + w * 1.479819860511658591e-01)));
    // ln 2 split into a high part exact in k * ln2_hi and a low correction.
    return s * (half_f2 + (odd + even)) + k * 1.90821492927058770002e-10 - half_f2 + f + k * 6.93147180369123816490e-01;
}

// The same in single precision: musl's logf (after fdlibm e_logf.c), a
// degree-4 polynomial in s^2; error below 1 ulp.
template <class T>
CONDOR_HD CONDOR_ALWAYS_INLINE T log_positive_f32(T x) {
    const auto tiny = x < 1.17549435e-38f;
    x = select(tiny, x * 0x1p25f, x);
    auto ix = to_bits(x) + (0x3f800000u - 0x3f3504f3u);
    const T k = from_bits((ix >> 23) | 0x4b000000u, x) - (8388608.0f + 127.0f) - select(tiny, T{} + 25.0f, T{});
    ix = (ix & 0x007fffffu) + 0x3f3504f3u;
    const T f = from_bits(ix, x) - 1.0f;
    const T half_f2 = 0.5f * f * f;
    const T s = f / (2.0f + f);
    const T z = s * s, w = z * z;
    const T even = w * (0xccce13.0p-25f + w * 0xf89e26.0p-26f);
    const T odd = z * (0xaaaaaa.0p-24f + w * 0x91e9ee.0p-25f);
    return s * (half_f2 + (odd + even)) + k * 9.0580006145e-06f - half_f2 + f + k * 6.9313812256e-01f;
}

template <class T>
CONDOR_HD CONDOR_ALWAYS_INLINE T log_positive(T x) {
    if constexpr (sizeof(element_t<T>) == 8)
        return log_positive_f64(x);
    else
        return log_positive_f32(x);
}

// e^x in double precision, for any x (below -745.2 it is 0, above 709.79 inf;
// NaN is outside the domain). The method of fdlibm's e_exp.c (Sun Microsystems,
// 1993): x = k ln 2 + r with |r| <= ln 2 / 2, r = hi - lo in two parts (k ln2_hi
// is exact), e^r = 1 - ((lo - r c / (2 - c)) - hi) with c = r - r^2 R(r^2), R its
// Remez polynomial (the published P1..P5), then 2^k by the exponent bits; error
// below 1 ulp (tests/test_special_functions.cpp). Used where the host needs many
// exponentials on vector lanes (the VIX law's gamma quadrature).
template <class T>
CONDOR_HD CONDOR_ALWAYS_INLINE T exp_f64(T x) {
    const auto overflow = x > 7.09782712893383973096e+02, underflow = x < -7.45133219101941108420e+02;
    x = select(overflow, T{} + 709.0, select(underflow, T{} - 746.0, x));
    // k = nearest integer to x / ln 2, by the 1.5 * 2^52 rounding trick.
    const T shifted = x * 1.44269504088896338700e+00 + 0x1.8p52;
    const T k = shifted - 0x1.8p52;
    const T hi = x - k * 6.93147180369123816490e-01, lo = k * 1.90821492927058770002e-10;
    const T r = hi - lo;
    const T t = r * r;
    const T c = r - t * (1.66666666666666019037e-01 +
                         t * (-2.77777777770155933842e-03 +
                              t * (6.61375632143793436117e-05 +
                                   t * (-1.65339022054652515390e-06 + t * 4.13813679705723846039e-08))));
    const T y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    // y 2^k as y 2^(k' - 1) 2 (2^1024 is not a double), exact while y 2^(k' - 1) is
    // normal (y >= 1/sqrt(2)); for k below -1020 the exponent is raised by 1000 and
    // the last multiply, by 2^-1000, rounds once into the subnormals.
    const auto subnormal = k < -1020.0;
    const T raised = k + select(subnormal, T{} + 1000.0, T{});
    const auto exponent_bits = (to_bits(raised + 0x1.8p52) - 0x4338000000000000ull + 1022u) << 52;
    const T scaled = y * from_bits(exponent_bits, x) * 2.0 * select(subnormal, T{} + 0x1p-1000, T{} + 1.0);
    return select(overflow, T{} + HUGE_VAL, select(underflow, T{}, scaled));
}

// sin and cos of r + q pi/2 from those of r: (sin, cos) = (s, c), (c, -s),
// (-s, -c), (-c, s) for q = 0..3 (q taken mod 4 from its low bits).
template <class T, class Quadrant>
CONDOR_HD CONDOR_INLINE void place_in_quadrant(Quadrant quadrant, T sin_r, T cos_r, T& sin_out, T& cos_out) {
    const T s_q = select((quadrant & 1u) != 0, cos_r, sin_r);
    const T c_q = select((quadrant & 1u) != 0, sin_r, cos_r);
    sin_out = select((quadrant & 2u) != 0, -s_q, s_q);
    cos_out = select(((quadrant + 1u) & 2u) != 0, -c_q, c_q);
}

// sin r and cos r for |r| <= pi/4: the kernel polynomials of fdlibm's k_sin.c /
// k_cos.c (Sun Microsystems, 1993; coefficients S1..S6, C1..C6).
template <class T>
CONDOR_HD CONDOR_ALWAYS_INLINE void sincos_kernel_f64(T r, T& sin_r, T& cos_r) {
    const T z = r * r;
    sin_r = r + r * (z * (-1.66666666666666324348e-01 +
                          z * (8.33333333332248946124e-03 +
                               z * (-1.98412698298579493134e-04 +
                                    z * (2.75573137070700676789e-06 +
                                         z * (-2.50507602534068634195e-08 + z * 1.58969099521155010221e-10))))));
    cos_r =
        1.0 - (0.5 * z - z * z *
                             (4.16666666666666019037e-02 +
                              z * (-1.38888888888741095749e-03 +
                                   z * (2.48015872894767294178e-05 +
                                        z * (-2.75573143513906633035e-07 +
                                             z * (2.08757232129817482790e-09 + z * -1.13596475577881948265e-11))))));
}

// sin(2 pi u) and cos(2 pi u) for |u| < 2^49. The reduction is exact: 4u minus
// its nearest integer k (the 1.5 * 2^52 rounding trick) is exact, and k mod 4
// picks the quadrant; the rest, r = (4u - k) pi/2 in [-pi/4, pi/4], goes to the
// kernel polynomials (sincos_kernel_f64). Error below 2 ulp of the exactly
// rounded result.
template <class T>
CONDOR_HD CONDOR_ALWAYS_INLINE void sincos_two_pi_f64(T u, T& sin_out, T& cos_out) {
    const T t = 4.0 * u;
    const T shifted = t + 0x1.8p52;
    const T r = (t - (shifted - 0x1.8p52)) * 1.57079632679489661923;
    const auto quadrant = to_bits(shifted) & 3u;
    T sin_r, cos_r;
    sincos_kernel_f64(r, sin_r, cos_r);
    place_in_quadrant(quadrant, sin_r, cos_r, sin_out, cos_out);
}

// The largest |x| sincos_f64 reduces correctly: 2^20 pi/2.
inline constexpr double kSinCosF64Limit = 1647099.0;

// sin x and cos x in radians for |x| <= kSinCosF64Limit (beyond it the result is
// wrong: callers check). Cody & Waite's reduction (1980) with pi/2 in three
// parts, fdlibm's pio2_1, pio2_2 and pio2_2t (e_rem_pio2.c): x = k pi/2 + r, k
// the integer nearest 2x/pi (the 1.5 * 2^52 trick, whose low bits give k mod 4);
// k pio2_1 and k pio2_2 are exact for |k| < 2^20 (33-bit parts), x - k pio2_1 is
// exact (Sterbenz), and the two roundings after it leave r within an ulp of
// |r| (plus 1e-25 |k|) of the true rest. Then the kernels on [-pi/4, pi/4].
// Error below 3 ulp of the result and 2^-52 absolutely (2.4 ulp measured,
// tests/test_special_functions.cpp), where libm's is under one ulp: the two
// differ in the last bits.
template <class T>
CONDOR_HD CONDOR_ALWAYS_INLINE void sincos_f64(T x, T& sin_out, T& cos_out) {
    const T shifted = x * 6.36619772367581382433e-01 + 0x1.8p52;
    const T k = shifted - 0x1.8p52;
    const T r =
        ((x - k * 1.57079632673412561417e+00) - k * 6.07710050630396597660e-11) - k * 2.02226624879595063154e-21;
    const auto quadrant = to_bits(shifted) & 3u;
    T sin_r, cos_r;
    sincos_kernel_f64(r, sin_r, cos_r);
    place_in_quadrant(quadrant, sin_r, cos_r, sin_out, cos_out);
}

// arctan x, double precision, any x but NaN: fdlibm's s_atan.c (Sun
// Microsystems, 1993) without branches. |x| is reduced by atan a = atan c +
// atan((a - c) / (1 + a c)) at c = 1/2, 1, 3/2 and infinity (breakpoints 7/16,
// 11/16, 19/16, 39/16), atan c in two parts (atanhi, atanlo), and the rest is
// fdlibm's odd polynomial of degree 23 (aT[0..10]). Error below 1 ulp.
template <class T>
CONDOR_HD CONDOR_ALWAYS_INLINE T atan_f64(T x) {
    const auto negative = x < 0.0;
    const T a = select(negative, -x, x);
    const auto r0 = a >= 0.4375, r1 = a >= 0.6875, r2 = a >= 1.1875, r3 = a >= 2.4375;
    const T reduced = select(r3, -1.0 / a,
                             select(r2, (a - 1.5) / (1.0 + 1.5 * a),
                                    select(r1, (a - 1.0) / (a + 1.0), select(r0, (2.0 * a - 1.0) / (2.0 + a), a))));
    const T zero = T{} + 0.0;
    const T hi = select(
        r3, zero + 1.57079632679489655800e+00,
        select(r2, zero + 9.82793723247329054082e-01,
               select(r1, zero + 7.85398163397448278999e-01, select(r0, zero + 4.63647609000806093515e-01, zero))));
    const T lo = select(
        r3, zero + 6.12323399573676603587e-17,
        select(r2, zero + 1.39033110312309984516e-17,
               select(r1, zero + 3.06161699786838301793e-17, select(r0, zero + 2.26987774529616870924e-17, zero))));
    const T z = reduced * reduced;
    const T w = z * z;
    const T s1 = z * (3.33333333333329318027e-01 +
                      w * (1.42857142725034663711e-01 +
                           w * (9.09088713343650656196e-02 +
                                w * (6.66107313738753120669e-02 +
                                     w * (4.97687799461593236017e-02 + w * 1.62858201153657823623e-02)))));
    const T s2 =
        w *
        (-1.99999999998764832476e-01 +
         w * (-1.11111104054623557880e-01 +
              w * (-7.69187620504482999495e-02 + w * (-5.83357013379057348645e-02 + w * -3.65315727442169155270e-02))));
    const T near_zero = reduced - reduced * (s1 + s2);
    const T shifted = hi - ((reduced * (s1 + s2) - lo) - reduced);
    const T magnitude = select(r0, shifted, near_zero);
    return select(negative, -magnitude, magnitude);
}

// Single precision: the same reduction (1.5 * 2^23), and the minimax
// polynomials of Cephes sinf.c / cosf.c (S. Moshier) on [-pi/4, pi/4].
template <class T>
CONDOR_HD CONDOR_ALWAYS_INLINE void sincos_two_pi_f32(T u, T& sin_out, T& cos_out) {
    const T t = 4.0f * u;
    const T shifted = t + 0x1.8p23f;
    const T r = (t - (shifted - 0x1.8p23f)) * 1.57079632679489661923f;
    const auto quadrant = to_bits(shifted) & 3u;
    const T z = r * r;
    const T sin_r = r + r * (z * (-1.6666654611e-1f + z * (8.3321608736e-3f + z * -1.9515295891e-4f)));
    const T cos_r =
        1.0f - (0.5f * z - z * z * (4.166664568298827e-2f + z * (-1.388731625493765e-3f + z * 2.443315711809948e-5f)));
    place_in_quadrant(quadrant, sin_r, cos_r, sin_out, cos_out);
}

template <class T>
CONDOR_HD CONDOR_ALWAYS_INLINE void sincos_two_pi(T u, T& sin_out, T& cos_out) {
    if constexpr (sizeof(element_t<T>) == 8)
        sincos_two_pi_f64(u, sin_out, cos_out);
    else
        sincos_two_pi_f32(u, sin_out, cos_out);
}

// Inverse of the standard normal CDF: Wichura (1988), Algorithm AS 241, PPND16,
// relative accuracy about 1e-16 on (0, 1), evaluated in double whatever Real is.
// Three rational approximations: the centre |p - 1/2| <= 0.425 in q = p - 1/2,
// and the tails in r = sqrt(-ln min(p, 1 - p)), r <= 5 (near) and r > 5 (far);
// the tail ones return |z|.
template <class T>
CONDOR_HD CONDOR_INLINE T inverse_normal_centre(T q) {
    const T r = 0.180625 - q * q;
    const T num = (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
                       45921.953931549871457) *
                          r +
                      13731.693765509461125) *
                         r +
                     1971.5909503065514427) *
                        r +
                    133.14166789178437745) *
                       r +
                   3.387132872796366608);
    const T den = (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
                       21213.794301586595867) *
                          r +
                      5394.1960214247511077) *
                         r +
                     687.1870074920579083) *
                        r +
                    42.313330701600911252) *
                       r +
                   1.0);
    return q * num / den;
}

template <class T>
CONDOR_HD CONDOR_INLINE T inverse_normal_near_tail(T r) {
    r = r - 1.6;
    return (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
                1.27045825245236838258) *
                   r +
               3.64784832476320460504) *
                  r +
              5.7694972214606914055) *
                 r +
             4.6303378461565452959) *
                r +
            1.42343711074968357734) /
           (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
                0.14810397642748007459) *
                   r +
               0.68976733498510000455) *
                  r +
              1.6763848301838038494) *
                 r +
             2.05319162663775882187) *
                r +
            1.0);
}

template <class T>
CONDOR_HD CONDOR_INLINE T inverse_normal_far_tail(T r) {
    r = r - 5.0;
    return (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
                0.026532189526576123093) *
                   r +
               0.29656057182850489123) *
                  r +
              1.7848265399172913358) *
                 r +
             5.4637849111641143699) *
                r +
            6.6579046435011037772) /
           (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
                7.868691311456132591e-4) *
                   r +
               0.0148753612908506148525) *
                  r +
              0.13692988092273580531) *
                 r +
             0.59983220655588793769) *
                r +
            1.0);
}

// The tail variable r = sqrt(-ln min(p, 1 - p)) of p on the side q = p - 1/2.
template <class T>
CONDOR_HD CONDOR_INLINE T inverse_normal_tail_variable(T p, T q) {
    return square_root(-log_positive(select(q < 0.0, p, 1.0 - p)));
}

template <class Real>
CONDOR_HD inline Real inverse_normal_cdf(Real p) {
    const double q = double(p) - 0.5;
    if (fabs(q) <= 0.425) return Real(inverse_normal_centre(q));
    const double r = inverse_normal_tail_variable(double(p), q);
    const double value = r <= 5.0 ? inverse_normal_near_tail(r) : inverse_normal_far_tail(r);
    return Real(q < 0 ? -value : value);
}

// Two independent standard normals from two uniforms on (0, 1): Box & Muller (1958).
template <class T>
CONDOR_HD CONDOR_INLINE void box_muller(T u1, T u2, T& z1, T& z2) {
    using Element = element_t<T>;
    const T radius = square_root(Element(-2) * log_positive(u1));
    T s, c;
    sincos_two_pi(u2, s, c);
    z1 = radius * c;
    z2 = radius * s;
}

// (1 - exp(-k t)) / (k t), continuous at k t = 0 where it equals 1: the average
// of exp(-k s) over s in [0, t].
CONDOR_HD inline double mean_decay_factor(double k, double t) {
    const double kt = k * t;
    if (fabs(kt) < 1e-8) return 1.0 - 0.5 * kt;
    return -expm1(-kt) / kt;
}

}  // namespace condor
