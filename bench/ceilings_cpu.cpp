#include <omp.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <vector>

#include "bench/ceilings.h"
#include "kernels/lanes.h"
#include "kernels/special_functions.h"

namespace condor::bench {
namespace {

double seconds_of(const std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Best of three timings of `run` (the first call also warms up).
template <class Fn>
double best_seconds(Fn run) {
    run();
    double best = 1e300;
    for (int k = 0; k < 3; ++k) {
        const auto start = std::chrono::steady_clock::now();
        run();
        best = std::min(best, seconds_of(start));
    }
    return best;
}

// Independent multiply-adds on 64 accumulators per thread: the compiler
// vectorises the inner loop, so this is the machine's vector multiply-add rate
// for this build (one multiply-add counted as one operation).
template <class Real>
double arithmetic_rate(int threads) {
    constexpr int kLanes = 64;
    constexpr long kIterations = 1 << 18;
    double sink = 0;
    const double seconds = best_seconds([&] {
#pragma omp parallel num_threads(threads) reduction(+ : sink)
        {
            Real acc[kLanes];
            for (int j = 0; j < kLanes; ++j) acc[j] = Real(1) + Real(j) * Real(1e-3);
            const Real a = Real(0.999999), b = Real(1e-7);
            for (long k = 0; k < kIterations; ++k) {
#pragma omp simd
                for (int j = 0; j < kLanes; ++j) acc[j] = acc[j] * a + b;
            }
            for (int j = 0; j < kLanes; ++j) sink += double(acc[j]);
        }
    });
    volatile double keep = sink;
    (void)keep;
    return double(threads) * kIterations * kLanes / seconds;
}

// The special-function mix of the path step (kernels/special_functions.h): a
// log, the sine and cosine of one sincos_two_pi, a square root and a divide,
// five calls per value, for T = Real or a vector of Real lanes.
template <class T>
T special_mix(T v) {
    using E = element_t<T>;
    T s, c;
    sincos_two_pi(v, s, c);
    return log_positive(v) + s + c + square_root(v) + E(1) / v;
}

// That mix as the engine evaluates it: on vector lanes where the build has them
// (kernels/lanes.h), else one value at a time.
template <class Real>
double special_rate(int threads) {
    constexpr int kValues = 4096;
    constexpr int kRepeats = 64;
#if defined(CONDOR_HAVE_LANES)
    using Lane = typename LaneTypes<Real>::Vec;
    constexpr int width = LaneTypes<Real>::width;
#else
    using Lane = Real;
    constexpr int width = 1;
#endif
    double sink = 0;
    const double seconds = best_seconds([&] {
#pragma omp parallel num_threads(threads) reduction(+ : sink)
        {
            const int t = omp_get_thread_num();
            Lane total{};
            for (int r = 0; r < kRepeats; ++r)
                for (int i = 0; i < kValues; i += width) {
                    Lane v{};
                    for (int j = 0; j < width; ++j)
                        reinterpret_cast<Real*>(&v)[j] =
                            Real(0.5) + Real(((i + j) * 7919 + r * 104729 + t) % 4096) / Real(4096);
                    total += special_mix(v);
                }
            for (int j = 0; j < width; ++j) sink += double(reinterpret_cast<const Real*>(&total)[j]);
        }
    });
    volatile double keep = sink;
    (void)keep;
    return double(threads) * kRepeats * kValues * 5 / seconds;
}

// The same mix with libm's log and sincos, one value at a time (glibc has no
// vector forms of them that this build calls).
template <class Real>
double library_special_rate(int threads) {
    constexpr int kValues = 4096;
    constexpr int kRepeats = 64;
    double sink = 0;
    const double seconds = best_seconds([&] {
#pragma omp parallel num_threads(threads) reduction(+ : sink)
        {
            const int t = omp_get_thread_num();
            Real total = 0;
            for (int r = 0; r < kRepeats; ++r)
                for (int i = 0; i < kValues; ++i) {
                    const Real v = Real(0.5) + Real((i * 7919 + r * 104729 + t) % 4096) / Real(4096);
                    const Real angle = Real(6.283185307179586) * v;
                    total += std::log(v) + std::sin(angle) + std::cos(angle) + std::sqrt(v) + Real(1) / v;
                }
            sink += double(total);
        }
    });
    volatile double keep = sink;
    (void)keep;
    return double(threads) * kRepeats * kValues * 5 / seconds;
}

// memcpy of 64 MiB per thread: read plus written bytes per second.
double copy_rate(int threads) {
    const std::size_t bytes_per_thread = std::size_t(64) << 20;
    std::vector<char> from(bytes_per_thread * threads), to(bytes_per_thread * threads);
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int t = 0; t < threads; ++t) {  // first touch by the thread that copies
        std::memset(from.data() + t * bytes_per_thread, t + 1, bytes_per_thread);
        std::memset(to.data() + t * bytes_per_thread, 0, bytes_per_thread);
    }
    const double seconds = best_seconds([&] {
#pragma omp parallel for num_threads(threads) schedule(static)
        for (int t = 0; t < threads; ++t)
            std::memcpy(to.data() + t * bytes_per_thread, from.data() + t * bytes_per_thread, bytes_per_thread);
    });
    return 2.0 * double(bytes_per_thread) * threads / seconds;
}

}  // namespace

Ceilings measure_cpu_ceilings(int threads, bool single_precision) {
    Ceilings c;
    c.arithmetic_per_s = single_precision ? arithmetic_rate<float>(threads) : arithmetic_rate<double>(threads);
    c.special_per_s = single_precision ? special_rate<float>(threads) : special_rate<double>(threads);
    c.copy_bytes_per_s = copy_rate(threads);
    c.library_special_per_s =
        single_precision ? library_special_rate<float>(threads) : library_special_rate<double>(threads);
    return c;
}

}  // namespace condor::bench
