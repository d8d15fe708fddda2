// Host/device portability: per-path code is written once and compiled by both
// the host compiler (CPU backend) and nvcc (CUDA backend), as pbrt-v4 does with
// PBRT_CPU_GPU.
#pragma once

#if defined(__CUDACC__)
#define CONDOR_HD __host__ __device__
#define CONDOR_INLINE __forceinline__
#define CONDOR_ALWAYS_INLINE __forceinline__
#else
#define CONDOR_HD
#define CONDOR_INLINE inline
// For the small special functions the CPU's vector lanes call several times a
// step: out of line, each call passes its vectors through memory.
#define CONDOR_ALWAYS_INLINE inline __attribute__((always_inline))
#endif

// Large per-trade functions (marks, strike searches, indicator updates) are
// kept out of line on the GPU: inlined at every call site they made the
// strategy kernel 2.2 MB of machine code, and the profiler found its warps
// stalled on instruction fetch 69% of the time. The CPU build inlines them.
#if defined(__CUDA_ARCH__)
#define CONDOR_OUTLINE inline __noinline__  // inline: one definition across translation units
#else
#define CONDOR_OUTLINE inline
#endif

// A loop the GPU keeps rolled: the strategy kernel's warps wait for instruction
// fetch more than for anything else, and an unrolled loop of special functions
// (four legs of a condor, each with erfc and log inlined) is machine code that a
// warp runs once per call and must fetch again on the next (docs/performance.md,
// "Instruction footprint"). The arithmetic, and so each result, is the same.
#if defined(__CUDA_ARCH__)
#define CONDOR_GPU_ROLLED _Pragma("unroll 1")
#else
#define CONDOR_GPU_ROLLED
#endif

// A short loop the GPU unrolls so that the array it indexes stays in registers:
// a variable index into a thread's array puts the array in local memory.
#if defined(__CUDA_ARCH__)
#define CONDOR_GPU_UNROLLED _Pragma("unroll")
#else
#define CONDOR_GPU_UNROLLED
#endif

#include <cstdint>

namespace condor {

// Hard limits of the plain-data structs that travel to kernels by value.
inline constexpr int kMaxEvents = 128;  // scheduled events per scenario
inline constexpr int kMaxShocks = 32;   // forced stress shocks per scenario

// One trading year, the clock of the whole engine (DESIGN §3).
inline constexpr double kTradingDaysPerYear = 252.0;
// The VIX horizon: 30 calendar days (CBOE white paper).
inline constexpr double kVixTauYears = 30.0 / 365.0;

}  // namespace condor
