// Bit-level views of floating-point numbers, so that special functions can take
// a number apart (exponent, mantissa, low bits) the same way on the GPU, on the
// CPU and, through the overloads in kernels/lanes.h, in CPU vector lanes. Every
// function here is exact: a reinterpretation, never a rounding.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels/platform.h"

namespace condor {

CONDOR_HD CONDOR_INLINE std::uint64_t to_bits(double x) {
#if defined(__CUDA_ARCH__)
    return static_cast<std::uint64_t>(__double_as_longlong(x));
#else
    std::uint64_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
#endif
}

CONDOR_HD CONDOR_INLINE std::uint32_t to_bits(float x) {
#if defined(__CUDA_ARCH__)
    return __float_as_uint(x);
#else
    std::uint32_t b;
    std::memcpy(&b, &x, sizeof b);
    return b;
#endif
}

// The second argument only selects the type.
CONDOR_HD CONDOR_INLINE double from_bits(std::uint64_t b, double) {
#if defined(__CUDA_ARCH__)
    return __longlong_as_double(static_cast<long long>(b));
#else
    double x;
    std::memcpy(&x, &b, sizeof x);
    return x;
#endif
}

CONDOR_HD CONDOR_INLINE float from_bits(std::uint32_t b, float) {
#if defined(__CUDA_ARCH__)
    return __uint_as_float(b);
#else
    float x;
    std::memcpy(&x, &b, sizeof x);
    return x;
#endif
}

// The element type of a scalar or of a lane vector (kernels/lanes.h specialises
// it for vectors).
template <class T>
struct ElementOf {
    using type = T;
};
template <class T>
using element_t = typename ElementOf<T>::type;

// b ? x : y for a scalar bool, or lane by lane for a vector mask (GCC's vector
// extension gives ?: that meaning in C++).
template <class Mask, class T>
CONDOR_HD CONDOR_INLINE T select(const Mask& b, const T& x, const T& y) {
    return b ? x : y;
}

}  // namespace condor

namespace condor {

// sqrt under one name for scalars and lane vectors (kernels/lanes.h), which
// have no namespace of their own for argument-dependent lookup to find.
CONDOR_HD CONDOR_INLINE double square_root(double x) { return sqrt(x); }
CONDOR_HD CONDOR_INLINE float square_root(float x) { return sqrtf(x); }

}  // namespace condor
