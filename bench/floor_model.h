// The hardware floor of a workload (docs/performance.md): the work a path must
// do, counted from the kernels' source, divided by the ceilings measured on the
// same machine in the same benchmark run (bench/ceilings.h).
//
// The counts are a lower bound by construction: they include only the work
// every path must do (the diffusion step, the daily close, the condor's daily
// marks) and leave out what only some paths do (jumps, hedge layers, the tails
// of the inverse normal CDF). A floor below the truth makes the ratio
// measured / floor an upper bound on how far the code is from the hardware.
#pragma once

#include <algorithm>
#include <string>

namespace condor::bench {

// Work per unit, in the three classes the ceilings measure.
struct OpCounts {
    double arithmetic = 0;  // adds, multiplies, FMAs, compares, integer ops (each one instruction)
    double special = 0;     // log, exp, sin, cos, sqrt, divide, erfc (each one call)
    double bytes = 0;       // to or from device (GPU) or main (CPU) memory

    OpCounts& operator+=(const OpCounts& o) {
        arithmetic += o.arithmetic;
        special += o.special;
        bytes += o.bytes;
        return *this;
    }
};

inline OpCounts operator*(double k, const OpCounts& c) { return {k * c.arithmetic, k * c.special, k * c.bytes}; }

// Rates measured by bench/ceilings.h (per second, the whole device or all threads).
struct Ceilings {
    double arithmetic_per_s = 0;  // independent multiply-adds, each counted as one
    double special_per_s = 0;     // the mix log, exp, sin, cos, sqrt, divide (calls)
    double copy_bytes_per_s = 0;  // memory copy, read plus written bytes
    // The same mix with the platform's own log, sine and cosine (libm's log and
    // sincos on the CPU, one value at a time; CUDA's log and sincospi on the GPU):
    // what our functions (kernels/special_functions.h) are weighed against. Not
    // part of the floor, which counts the functions the engine calls.
    double library_special_per_s = 0;
};

// One Philox4x32-10 call (Salmon et al. 2011): 10 rounds of two 32x32->64
// multiplies, two xors with the key and two word swaps, plus 9 key bumps of
// two adds: about 10 x 8 + 18 = 98 integer instructions.
inline constexpr double kPhiloxOps = 98;

// One QE diffusion step of (ln S, x, y), kernels/variance_step.h diffuse_qe,
// quadratic branch with the central inverse normal (the common case):
//   uniforms 3 x 2; Box-Muller 4 + (log, sqrt, sin, cos); inverse normal two
//   degree-7 polynomials 14 + 4 and one divide; QE mean, variance, psi,
//   b^2, a, b, the MGF of the martingale correction and the draw 20 + (3 divides,
//   3 sqrt, 1 log); the log-price update 14 + 1 sqrt; the y factor 6 + 1 sqrt.
inline OpCounts qe_step_counts() {
    OpCounts c;
    c.arithmetic = kPhiloxOps + 6 + 4 + 18 + 20 + 14 + 6;
    c.special = 4 + 1 + (3 + 3 + 1) + 1 + 1;
    return c;
}

// A daily close (kernels/path.h simulate_path): VIX from the state (4 + sqrt),
// the running maximum and the squared return (4), and exp for the spot when the
// close is stored; storing and later reducing writes and reads each of the 4
// series once (bytes per value: sizeof(Real)).
inline OpCounts daily_close_counts(bool stored, int real_bytes) {
    OpCounts c;
    c.arithmetic = 8;
    c.special = 1 + (stored ? 1 : 0);
    c.bytes = stored ? 2.0 * 4 * real_bytes : 0;
    return c;
}

// One SVCJ sub-step beyond the diffusion: the jump stream's Philox draw and the
// arrival test (log, divide, compare), kernels/path.h advance_substep.
inline OpCounts jump_check_counts() {
    OpCounts c;
    c.arithmetic = kPhiloxOps + 3;
    c.special = 2;
    return c;
}

// One strategy-day in a trade (kernels/strategy.h): the condor's four legs
// marked from the SPX table (a bilinear read of 4 corners in each of 4
// dimensions, about 40 instructions) and Black's formula (log, sqrt, two erfc,
// about 25 instructions); reading the day's 4 stored series. Hedge layers and
// indicators are left out (only some paths hold them).
inline OpCounts strategy_day_counts(int real_bytes) {
    OpCounts c;
    c.arithmetic = 4 * (40 + 25);
    c.special = 4 * 4;
    c.bytes = 4.0 * real_bytes;
    return c;
}

inline Ceilings operator*(double k, const Ceilings& c) {
    return {k * c.arithmetic_per_s, k * c.special_per_s, k * c.copy_bytes_per_s};
}

// The three floor terms and the floor (their maximum: the units overlap at best).
struct Floor {
    double arithmetic_s = 0, special_s = 0, memory_s = 0;
    double seconds() const { return std::max({arithmetic_s, special_s, memory_s}); }
    std::string dominant() const {
        if (arithmetic_s >= special_s && arithmetic_s >= memory_s) return "arithmetic";
        return special_s >= memory_s ? "special" : "memory";
    }
};

inline Floor floor_of(const OpCounts& total, const Ceilings& c) {
    Floor f;
    f.arithmetic_s = c.arithmetic_per_s > 0 ? total.arithmetic / c.arithmetic_per_s : 0;
    f.special_s = c.special_per_s > 0 ? total.special / c.special_per_s : 0;
    f.memory_s = c.copy_bytes_per_s > 0 ? total.bytes / c.copy_bytes_per_s : 0;
    return f;
}

}  // namespace condor::bench
