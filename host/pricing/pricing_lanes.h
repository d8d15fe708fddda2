// Elementary functions for the pricing tables' inner loops, on a scalar or on
// CPU vector lanes (kernels/lanes.h) with the same bits: our exp, log, sin, cos
// and arctan (kernels/special_functions.h) instead of libm's, which evaluates one
// argument per call. glibc's sincos also saves and restores the rounding mode on
// every call (its ldmxcsr alone was 10% of the SPX table's build in `perf`).
#pragma once

#include <cmath>
#include <type_traits>

#include "kernels/lanes.h"
#include "kernels/special_functions.h"

namespace condor {

// The same arrays processed a vector at a time where the build has lanes, and a
// scalar at a time elsewhere or for the rest: fn(T x) for T double or the lanes.
#if defined(CONDOR_HAVE_LANES)
inline constexpr int kPricingLanes = DoubleLanes::width;
using PricingVec = DoubleLanes::Vec;
#else
inline constexpr int kPricingLanes = 1;
using PricingVec = double;
#endif

// sin x and cos x for any finite x: sincos_f64 where it reduces correctly
// (|x| <= kSinCosF64Limit), libm beyond it, lane by lane, so that a lane gets
// the scalar result for the same x.
template <class T>
inline void sincos_radians(T x, T& sin_out, T& cos_out) {
    sincos_f64(x, sin_out, cos_out);
    if constexpr (std::is_same_v<T, double>) {
        if (!(std::fabs(x) <= kSinCosF64Limit)) sin_out = std::sin(x), cos_out = std::cos(x);
    } else {
        for (int i = 0; i < int(sizeof(T) / sizeof(double)); ++i)
            if (!(std::fabs(x[i]) <= kSinCosF64Limit)) sin_out[i] = std::sin(x[i]), cos_out[i] = std::cos(x[i]);
    }
}

// e^{re + i im} as (real, imaginary) parts.
template <class T>
inline void complex_exp(T re, T im, T& out_re, T& out_im) {
    const T magnitude = exp_f64(re);
    T s, c;
    sincos_radians(im, s, c);
    out_re = magnitude * c;
    out_im = magnitude * s;
}

// Calls block(i, T{}) for the index blocks [i, i + lanes_of<T>()) of [0, count):
// T = PricingVec while a vector fits, then T = double for the rest.
template <class Block>
inline void for_each_lane_block(int count, Block&& block) {
    int i = 0;
#if defined(CONDOR_HAVE_LANES)
    for (; i + kPricingLanes <= count; i += kPricingLanes) block(i, PricingVec{});
#endif
    for (; i < count; ++i) block(i, 0.0);
}

template <class T>
inline constexpr int lanes_of() {
    return int(sizeof(T) / sizeof(double));
}

// Lane j of x (a scalar is its own lane 0).
template <class T>
inline double get_lane(const T& x, int j) {
    if constexpr (std::is_same_v<T, double>)
        return x;
    else
        return x[j];
}
template <class T>
inline void set_lane(T& x, int j, double value) {
    if constexpr (std::is_same_v<T, double>)
        x = value;
    else
        x[j] = value;
}

// Lanes filled from values[first + j], and stored back to out[first + j].
template <class T>
inline T load_lanes(const double* values, int first) {
    T x{};
    for (int j = 0; j < lanes_of<T>(); ++j) set_lane(x, j, values[first + j]);
    return x;
}
template <class T>
inline void store_lanes(const T& x, double* out, int first) {
    for (int j = 0; j < lanes_of<T>(); ++j) out[first + j] = get_lane(x, j);
}

}  // namespace condor
