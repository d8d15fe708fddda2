// Counter-based random streams (DESIGN §2): Philox4x32-10 (Salmon et al., SC'11,
// "Parallel random numbers: as easy as 1, 2, 3"), keyed by (seed, path) and
// counted by (step, draw, stream). A path's numbers therefore depend on nothing
// but the seed, its own index and the position of the draw: not on thread count,
// chunking or backend.
#pragma once

#include <Random123/philox.h>

#include "kernels/platform.h"

namespace condor {

// One named stream per purpose: switching a feature on or off leaves the draws
// of every other stream unchanged (common random numbers across variants).
enum class Stream : std::uint32_t {
    diffusion = 1,  // QE variance draw and the two Brownian shocks of the price
    jumps = 2,      // arrival times and sizes of SVCJ jumps
    regime = 3,     // Markov regime switches
    events = 4,     // scheduled events: occurrence, size, SPX co-move
};

struct Uniform4 {
    std::uint32_t u[4];
};

class PathRng {
public:
    // Key = (low 32 bits of path, low 32 bits of seed); the high 32 bits of the
    // seed go in the last counter word and the high bits of the path above the
    // stream id (bits 8..31 of the third word), so every (seed, path) pair below
    // 2^56 paths has its own sequence, and paths below 2^32 draw what they drew
    // when the index had 32 bits.
    CONDOR_HD PathRng(std::uint64_t seed, std::uint64_t path)
        : key_{{static_cast<std::uint32_t>(path), static_cast<std::uint32_t>(seed)}},
          path_high_(static_cast<std::uint32_t>(path >> 32) << 8),
          seed_high_(static_cast<std::uint32_t>(seed >> 32)) {}

    // Four independent 32-bit words for (stream, step, draw).
    CONDOR_HD Uniform4 bits(Stream stream, std::uint32_t step, std::uint32_t draw) const {
        r123::Philox4x32 philox;
        r123::Philox4x32::ctr_type counter = {
            {step, draw, static_cast<std::uint32_t>(stream) | path_high_, seed_high_}};
        const r123::Philox4x32::ctr_type out = philox(counter, key_);
        return Uniform4{{out.v[0], out.v[1], out.v[2], out.v[3]}};
    }

private:
    r123::Philox4x32::key_type key_;
    std::uint32_t path_high_;
    std::uint32_t seed_high_;
};

// A uniform on the open interval (0, 1) from 32 random bits: never 0 or 1, so
// log(u) and the inverse normal CDF are always finite.
template <class Real>
CONDOR_HD CONDOR_INLINE Real uniform_open(std::uint32_t bits);

template <>
CONDOR_HD CONDOR_INLINE double uniform_open<double>(std::uint32_t bits) {
    return (static_cast<double>(bits) + 0.5) * 2.3283064365386963e-10;  // 2^-32
}

// float has a 24-bit significand: with the top 23 bits, k + 0.5 is exact, so the
// result lies strictly inside (0, 1); with 24 bits, k + 0.5 would round up to 2^24.
template <>
CONDOR_HD CONDOR_INLINE float uniform_open<float>(std::uint32_t bits) {
    return (static_cast<float>(bits >> 9) + 0.5f) * 1.1920928955078125e-07f;  // 2^-23
}

}  // namespace condor
