// CPU vector lanes: GCC's vector extension types that let the per-path code
// advance several paths at once (kernels/path_lanes.h), one path per lane.
//
// Why these and not auto-vectorisation: the diffusion step has a divide, three
// square roots, logs, a sine and cosine and a Philox call in one chain; GCC
// does not vectorise such a loop, but evaluates the same expressions written on
// vector types lane by lane with vector instructions. Every operation used on
// them (+, -, *, /, sqrt, compares, integer and bit operations, exact
// conversions) is correctly rounded or exact in each lane, so a lane computes
// bit for bit what the scalar code computes for the same path (checked by
// tests/test_lanes.cpp) as long as floating-point contraction is off (the
// top-level CMakeLists.txt sets -ffp-contract=off).
//
// Lanes exist where the compiler targets AVX2 or AVX-512 (-march=native, the
// CONDOR_NATIVE option); elsewhere the CPU backend runs the scalar code.
#pragma once

#include <cstdint>

#include "kernels/float_bits.h"

#if !defined(__CUDACC__) && (defined(__AVX2__) || defined(__AVX512F__))
#define CONDOR_HAVE_LANES 1
#endif

namespace condor {

#if defined(CONDOR_HAVE_LANES)

// One register of lanes: 64 bytes with AVX-512, 32 with AVX2.
#if defined(__AVX512F__)
inline constexpr int kLaneBytes = 64;
#else
inline constexpr int kLaneBytes = 32;
#endif

// Lanes of Real, and the integer vectors of the same shape.
template <class Real>
struct LaneTypes {
    static constexpr int width = kLaneBytes / int(sizeof(Real));
    typedef Real Vec __attribute__((vector_size(kLaneBytes)));
    // Lane-wise 64-bit integers (Philox products, the bits of a double).
    typedef std::uint64_t U64 __attribute__((vector_size(8 * width)));
    // Lane-wise 32-bit integers (the bits of a float, masks of float compares).
    typedef std::uint32_t U32 __attribute__((vector_size(4 * width)));
    // Doubles with as many lanes as Real (the inverse normal CDF is evaluated in double).
    typedef double F64 __attribute__((vector_size(8 * width)));
};

using DoubleLanes = LaneTypes<double>;
using FloatLanes = LaneTypes<float>;

template <>
struct ElementOf<DoubleLanes::Vec> {
    using type = double;
};
template <>
struct ElementOf<FloatLanes::Vec> {
    using type = float;
};
template <>
struct ElementOf<FloatLanes::F64> {
    using type = double;
};

// A cast between vector types of one size reinterprets the bits (GCC manual,
// "Using Vector Instructions through Built-in Functions").
inline DoubleLanes::U64 to_bits(DoubleLanes::Vec x) { return (DoubleLanes::U64)x; }
inline DoubleLanes::Vec from_bits(DoubleLanes::U64 b, DoubleLanes::Vec) { return (DoubleLanes::Vec)b; }
inline FloatLanes::U64 to_bits(FloatLanes::F64 x) { return (FloatLanes::U64)x; }
inline FloatLanes::F64 from_bits(FloatLanes::U64 b, FloatLanes::F64) { return (FloatLanes::F64)b; }
inline FloatLanes::U32 to_bits(FloatLanes::Vec x) { return (FloatLanes::U32)x; }
inline FloatLanes::Vec from_bits(FloatLanes::U32 b, FloatLanes::Vec) { return (FloatLanes::Vec)b; }

// Lane by lane; GCC turns each loop into one vector square root.
template <class V>
inline V lanewise_sqrt(V x) {
    constexpr int n = int(sizeof(V) / sizeof(x[0]));
    V r;
    for (int i = 0; i < n; ++i) r[i] = __builtin_sqrt(x[i]);
    return r;
}
inline DoubleLanes::Vec square_root(DoubleLanes::Vec x) { return lanewise_sqrt(x); }
inline FloatLanes::F64 square_root(FloatLanes::F64 x) { return lanewise_sqrt(x); }
inline FloatLanes::Vec square_root(FloatLanes::Vec x) {
    FloatLanes::Vec r;
    for (int i = 0; i < FloatLanes::width; ++i) r[i] = __builtin_sqrtf(x[i]);
    return r;
}

// True where any lane of a compare mask is set.
template <class Mask>
inline bool any_lane(const Mask& m) {
    constexpr int n = int(sizeof(Mask) / sizeof(m[0]));
    bool any = false;
    for (int i = 0; i < n; ++i) any |= m[i] != 0;
    return any;
}

#endif  // CONDOR_HAVE_LANES

}  // namespace condor
