// The CPU's vector lanes (kernels/lanes.h, kernels/path_lanes.h) compute bit
// for bit what the scalar code computes, lane by lane. The end-to-end check,
// whole results files with lanes on and off, is in test_reproducibility.cpp.
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "kernels/chunk.h"
#include "kernels/path_lanes.h"

namespace condor {
namespace {

#if defined(CONDOR_HAVE_LANES)

template <class T>
bool same_bits(T a, T b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// Random uniforms as the kernels see them, plus the extremes of 32-bit draws.
template <class Real>
std::vector<std::uint32_t> test_words(int n) {
    std::mt19937 g(9);
    std::vector<std::uint32_t> w(n);
    for (auto& x : w) x = g();
    w[0] = 0, w[1] = 0xffffffffu, w[2] = 1u << 31, w[3] = 7;
    return w;
}

template <class Real>
void expect_lane_functions_match_scalar() {
    using Types = LaneTypes<Real>;
    using Vec = typename Types::Vec;
    constexpr int width = Types::width;
    const std::vector<std::uint32_t> words = test_words<Real>(width * 4096);
    int mismatches = 0;
    for (std::size_t at = 0; at + width <= words.size(); at += width) {
        typename Types::U64 bits;
        for (int i = 0; i < width; ++i) bits[i] = words[at + i];
        const Vec u = uniform_open_lanes(bits, Vec{});
        Vec s, c, z1, z2;
        sincos_two_pi(u, s, c);
        box_muller(u, Vec{} + Real(0.3), z1, z2);
        const Vec lg = log_positive(u);
        const Vec inv = inverse_normal_cdf_lanes(u);
        for (int i = 0; i < width; ++i) {
            const Real us = uniform_open<Real>(words[at + i]);
            Real ss, cs, z1s, z2s;
            sincos_two_pi(us, ss, cs);
            box_muller(us, Real(0.3), z1s, z2s);
            mismatches += !same_bits(u[i], us) + !same_bits(s[i], ss) + !same_bits(c[i], cs) + !same_bits(z1[i], z1s) +
                          !same_bits(z2[i], z2s) + !same_bits(lg[i], log_positive(us)) +
                          !same_bits(inv[i], inverse_normal_cdf(us));
        }
    }
    EXPECT_EQ(mismatches, 0);
}

TEST(Lanes, SpecialFunctionsMatchScalarBitForBit) {
    expect_lane_functions_match_scalar<double>();
    expect_lane_functions_match_scalar<float>();
}

// exp_f64 (the VIX law's quadrature, host/pricing/vix_reference_law.cpp) on
// lanes, across its whole range: overflow, the subnormal results, underflow.
TEST(Lanes, ExpMatchesScalarBitForBit) {
    using Types = LaneTypes<double>;
    using Vec = Types::Vec;
    constexpr int width = Types::width;
    std::mt19937_64 g(6);
    std::uniform_real_distribution<double> argument(-800.0, 720.0);
    int mismatches = 0;
    for (int at = 0; at < 100000; at += width) {
        Vec x;
        for (int i = 0; i < width; ++i) x[i] = argument(g);
        const Vec e = exp_f64(x);
        for (int i = 0; i < width; ++i) mismatches += !same_bits(e[i], exp_f64(x[i]));
    }
    EXPECT_EQ(mismatches, 0);
}

// The pricing tables' sine, cosine and arctangent on lanes (kernels/special_functions.h)
// are the scalar functions bit for bit.
TEST(Lanes, SinCosAndAtanMatchScalarBitForBit) {
    using Types = LaneTypes<double>;
    using Vec = Types::Vec;
    constexpr int width = Types::width;
    std::mt19937_64 g(9);
    std::uniform_real_distribution<double> angle(-kSinCosF64Limit, kSinCosF64Limit), ratio(-40.0, 40.0);
    int mismatches = 0;
    for (int at = 0; at < 100000; at += width) {
        Vec x, t;
        for (int i = 0; i < width; ++i) x[i] = i % 2 ? angle(g) : angle(g) * 1e-5, t[i] = ratio(g);
        Vec s, c;
        sincos_f64(x, s, c);
        const Vec a = atan_f64(t);
        for (int i = 0; i < width; ++i) {
            double ss, cs;
            sincos_f64(x[i], ss, cs);
            mismatches += !same_bits(s[i], ss) + !same_bits(c[i], cs) + !same_bits(a[i], atan_f64(t[i]));
        }
    }
    EXPECT_EQ(mismatches, 0);
}

// The histograms' bin offsets on lanes (kernels/launch_cpu.cpp) are the scalar
// offsets, over the whole range of SPX levels the bins may see and beyond.
TEST(Lanes, HistogramOffsetsMatchScalarBitForBit) {
    using Types = LaneTypes<double>;
    constexpr int width = Types::width;
    const LogBinning bins{4500.0, -3.0, 2.0, 8192};
    std::mt19937_64 g(8);
    std::uniform_real_distribution<double> log_value(-740.0, 700.0);  // subnormal values included
    int mismatches = 0;
    for (int at = 0; at < 100000; at += width) {
        Types::Vec v;
        for (int i = 0; i < width; ++i) v[i] = std::exp(log_value(g));
        const Types::Vec offset = bins.offset_in_bins(v);
        for (int i = 0; i < width; ++i) mismatches += !same_bits(offset[i], bins.offset_in_bins(v[i]));
    }
    EXPECT_EQ(mismatches, 0);
}

// Philox on lanes is Random123's Philox4x32-10 (PathRng::bits) for each lane.
TEST(Lanes, PhiloxMatchesRandom123) {
    using Types = LaneTypes<double>;
    constexpr int width = Types::width;
    const std::uint64_t seed = 0x123456789abcdefull, first_path = (1ull << 33) + 5;
    for (std::uint32_t step : {0u, 1u, 251u, 100000u}) {
        Types::U64 counter[4], key0, key1;
        for (int i = 0; i < width; ++i) {
            const std::uint64_t path = first_path + std::uint64_t(i);
            counter[0][i] = step;
            counter[1][i] = 2;
            counter[2][i] = std::uint32_t(Stream::jumps) | (std::uint32_t(path >> 32) << 8);
            counter[3][i] = std::uint32_t(seed >> 32);
            key0[i] = std::uint32_t(path);
            key1[i] = std::uint32_t(seed);
        }
        philox4x32_10_lanes(counter, key0, key1);
        for (int i = 0; i < width; ++i) {
            const Uniform4 expected = PathRng(seed, first_path + std::uint64_t(i)).bits(Stream::jumps, step, 2);
            for (int w = 0; w < 4; ++w) EXPECT_EQ(counter[w][i], expected.u[w]) << "lane " << i << " word " << w;
        }
    }
}

#endif

// Values outside the log's domain go to the end bins by value.
TEST(LogBinning, ValuesOutsideTheLogDomainGoToTheEndBins) {
    const LogBinning bins{4500.0, -3.0, 2.0, 100};
    EXPECT_EQ(bins.bin_of(0.0), 0);
    EXPECT_EQ(bins.bin_of(-1.0), 0);
    EXPECT_EQ(bins.bin_of(std::nan("")), 0);
    EXPECT_EQ(bins.bin_of(1e-300), 0);  // below the range
    EXPECT_EQ(bins.bin_of(4500.0 * std::exp(-3.0) * 1.0001), 1);
    EXPECT_EQ(bins.bin_of(4500.0), 61);  // ln 1 = 0 is 3/5 of the way through 100 bins
    EXPECT_EQ(bins.bin_of(4500.0 * std::exp(2.0) * 1.0001), 101);
    EXPECT_EQ(bins.bin_of(1e300), 101);
    EXPECT_EQ(bins.bin_of(INFINITY), 101);
}

#if !defined(CONDOR_HAVE_LANES)

TEST(Lanes, SpecialFunctionsMatchScalarBitForBit) {
    GTEST_SKIP() << "no vector lanes in this build (needs AVX2 or AVX-512 and CONDOR_NATIVE=ON)";
}

#endif

}  // namespace
}  // namespace condor
