// The random-number building blocks both backends share.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>

#include "kernels/rng.h"
#include "kernels/special_functions.h"

namespace condor {
namespace {

double normal_cdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// AS 241 inverts the normal CDF to about 1e-16 relative; check the round trip
// across the body and both tails.
TEST(InverseNormalCdf, InvertsTheCdf) {
    for (double p : {1e-12, 1e-9, 1e-6, 1e-3, 0.02, 0.1, 0.3, 0.5, 0.7, 0.9, 0.98, 0.999, 1 - 1e-6}) {
        const double z = inverse_normal_cdf(p);
        EXPECT_NEAR(normal_cdf(z), p, 1e-14 + 1e-12 * p) << "p = " << p;
    }
    EXPECT_NEAR(inverse_normal_cdf(0.975), 1.959963984540054, 1e-14);
}

// Distance in units in the last place of `reference` (rounded to the type).
template <class Real>
double ulps(Real value, long double reference) {
    const Real rounded = Real(reference);
    const Real next = std::nextafter(rounded, std::numeric_limits<Real>::infinity());
    const long double ulp = std::fabs((long double)next - (long double)rounded);
    return double(std::fabs((long double)value - reference) / ulp);
}

// Our log against the long-double log, over (0, 1) where the kernels use it,
// the whole normal range, and subnormals.
template <class Real>
double worst_log_ulps(int n) {
    std::mt19937_64 g(3);
    std::uniform_real_distribution<double> unit(0, 1);
    double worst = 0;
    for (int i = 0; i < n; ++i) {
        const double exponent_range = sizeof(Real) == 8 ? 1070 : 148;
        Real x = Real(unit(g));
        if (i % 3 == 1) x = Real(std::exp2(unit(g) * 2 * exponent_range - exponent_range));
        if (!(x > 0) || !std::isfinite(x)) continue;
        worst = std::max(worst, ulps(log_positive(x), std::log((long double)x)));
    }
    return worst;
}

TEST(LogPositive, WithinOneUlp) {
    EXPECT_LE(worst_log_ulps<double>(2000000), 1.0);
    EXPECT_LE(worst_log_ulps<float>(2000000), 1.0);
    EXPECT_EQ(log_positive(1.0), 0.0);
    EXPECT_EQ(log_positive(1.0f), 0.0f);
}

// Our exp against the long-double exp over the whole range: results from the
// subnormals (x < -708.4) to the largest doubles, and the arguments the VIX law's
// gamma quadrature gives it (-60 to 0).
TEST(ExpF64, WithinOneUlp) {
    std::mt19937_64 g(5);
    std::uniform_real_distribution<double> whole(-745.0, 709.7), quadrature(-60.0, 0.0);
    double worst = 0, worst_subnormal = 0;
    for (int i = 0; i < 2000000; ++i) {
        const double x = i % 2 ? whole(g) : quadrature(g);
        const long double reference = std::exp((long double)x);
        if (reference < 2.2250738585072014e-308L) {
            // Subnormal results have fewer bits: the error is one rounding, at most half their ulp.
            worst_subnormal = std::max(worst_subnormal, double(std::fabs(exp_f64(x) - reference) / 0x1p-1074L));
            continue;
        }
        worst = std::max(worst, ulps(exp_f64(x), reference));
    }
    EXPECT_LE(worst, 1.0);
    EXPECT_LE(worst_subnormal, 1.0);
    EXPECT_EQ(exp_f64(0.0), 1.0);
    EXPECT_EQ(exp_f64(-746.0), 0.0);
    EXPECT_EQ(exp_f64(-1e300), 0.0);
    EXPECT_EQ(exp_f64(710.0), HUGE_VAL);
    EXPECT_EQ(exp_f64(1e300), HUGE_VAL);
    EXPECT_EQ(exp_f64(-745.0), std::exp(-745.0));  // the least subnormal, 2^-1074
    EXPECT_EQ(exp_f64(709.78), std::exp(709.78));  // k = 1024
}

// sin and cos of 2 pi u against long double on the exactly reduced argument;
// the reduction itself is checked by the quadrant values.
template <class Real>
void expect_sincos_within(double max_ulps, int n) {
    std::mt19937_64 g(4);
    std::uniform_real_distribution<double> unit(0, 1);
    const long double half_pi = 1.5707963267948966192313216916397514L;
    double worst_sin = 0, worst_cos = 0;
    for (int i = 0; i < n; ++i) {
        const Real u = Real(unit(g));
        Real s, c;
        sincos_two_pi(u, s, c);
        const long double t = 4.0L * u, k = std::nearbyint(t);
        const long double r = (t - k) * half_pi;
        const long double sr = std::sin(r), cr = std::cos(r);
        const int q = int(k) & 3;
        const long double sin_ref = q == 0 ? sr : q == 1 ? cr : q == 2 ? -sr : -cr;
        const long double cos_ref = q == 0 ? cr : q == 1 ? -sr : q == 2 ? -cr : sr;
        worst_sin = std::max(worst_sin, ulps(s, sin_ref));
        worst_cos = std::max(worst_cos, ulps(c, cos_ref));
    }
    EXPECT_LE(worst_sin, max_ulps);
    EXPECT_LE(worst_cos, max_ulps);
}

TEST(SinCosTwoPi, WithinTwoUlps) {
    expect_sincos_within<double>(2.0, 2000000);
    expect_sincos_within<float>(2.0, 2000000);
    double s, c;
    sincos_two_pi(0.25, s, c);
    EXPECT_EQ(s, 1.0);
    EXPECT_EQ(c, 0.0);
    sincos_two_pi(0.5, s, c);
    EXPECT_EQ(c, -1.0);
}

// sin and cos in radians (the pricing tables' complex exponentials) against
// long double, whose reduction is exact: within 2^-52 absolutely over the whole
// domain, and within 3 ulp of the result wherever it is not tiny, from small
// arguments to the largest (|x| <= 2^20 pi/2), near multiples of pi/2 included.
// The 3 ulp: the rest r carries two roundings (up to an ulp of r, which is up
// to two of sin r where it falls below a power of two), the kernel one.
TEST(SinCosF64, WithinThreeUlpsOverItsDomain) {
    std::mt19937_64 g(7);
    std::uniform_real_distribution<double> unit(-1, 1);
    double worst_absolute = 0, worst_ulps = 0;
    for (int i = 0; i < 2000000; ++i) {
        double x = unit(g) * (i % 4 == 0 ? 0.8 : i % 4 == 1 ? 100.0 : i % 4 == 2 ? kSinCosF64Limit : 1e4);
        if (i % 16 == 3) x = std::nearbyint(x / 1.5707963267948966) * 1.5707963267948966;  // near k pi/2
        double s, c;
        sincos_f64(x, s, c);
        const long double s_ref = std::sin((long double)x), c_ref = std::cos((long double)x);
        worst_absolute = std::max({worst_absolute, double(std::fabs(s - s_ref)), double(std::fabs(c - c_ref))});
        if (std::fabs(s_ref) > 1e-6) worst_ulps = std::max(worst_ulps, ulps(s, s_ref));
        if (std::fabs(c_ref) > 1e-6) worst_ulps = std::max(worst_ulps, ulps(c, c_ref));
    }
    std::printf("sincos_f64: worst %.2f ulp, %.2e absolute\n", worst_ulps, worst_absolute);
    EXPECT_LE(worst_ulps, 3.0);
    EXPECT_LE(worst_absolute, 0x1p-52);
    double s, c;
    sincos_f64(0.0, s, c);
    EXPECT_EQ(s, 0.0);
    EXPECT_EQ(c, 1.0);
}

// arctan against long double: within 1 ulp from the subnormals to infinity,
// on both sides of fdlibm's breakpoints.
TEST(AtanF64, WithinOneUlp) {
    std::mt19937_64 g(8);
    std::uniform_real_distribution<double> unit(0, 1);
    double worst = 0;
    for (int i = 0; i < 2000000; ++i) {
        double x = i % 2 ? std::exp2(unit(g) * 2100 - 1070) : unit(g) * 3;
        if (i % 3 == 0) x = -x;
        worst = std::max(worst, ulps(atan_f64(x), std::atan((long double)x)));
    }
    for (double breakpoint : {0.4375, 0.6875, 1.1875, 2.4375})
        for (double x : {std::nextafter(breakpoint, 0.0), breakpoint, std::nextafter(breakpoint, 3.0)})
            worst = std::max(worst, ulps(atan_f64(x), std::atan((long double)x)));
    std::printf("atan_f64: worst %.2f ulp\n", worst);
    EXPECT_LE(worst, 1.0);
    EXPECT_EQ(atan_f64(0.0), 0.0);
    EXPECT_EQ(atan_f64(HUGE_VAL), std::atan(HUGE_VAL));
    EXPECT_EQ(atan_f64(-HUGE_VAL), -std::atan(HUGE_VAL));
}

TEST(UniformOpen, NeverZeroOrOne) {
    EXPECT_GT(uniform_open<double>(0u), 0.0);
    EXPECT_LT(uniform_open<double>(0xffffffffu), 1.0);
    EXPECT_GT(uniform_open<float>(0u), 0.0f);
    EXPECT_LT(uniform_open<float>(0xffffffffu), 1.0f);
}

// Streams are distinct for every (seed, path, stream, step, draw) component,
// and the same inputs always give the same bits.
TEST(PathRng, CountersAndKeysSeparateStreams) {
    const PathRng a(7, 3), b(7, 4), c(8, 3), d((1ull << 32) + 7, 3);
    const auto base = a.bits(Stream::diffusion, 10, 0).u[0];
    EXPECT_EQ(base, PathRng(7, 3).bits(Stream::diffusion, 10, 0).u[0]);
    EXPECT_NE(base, b.bits(Stream::diffusion, 10, 0).u[0]);
    EXPECT_NE(base, c.bits(Stream::diffusion, 10, 0).u[0]);
    EXPECT_NE(base, d.bits(Stream::diffusion, 10, 0).u[0]);
    EXPECT_NE(base, a.bits(Stream::jumps, 10, 0).u[0]);
    EXPECT_NE(base, a.bits(Stream::diffusion, 11, 0).u[0]);
    EXPECT_NE(base, a.bits(Stream::diffusion, 10, 1).u[0]);
}

// Box-Muller normals: mean 0, variance 1, independent pair (4 standard errors).
TEST(BoxMuller, StandardNormalPairs) {
    const PathRng rng(1, 0);
    const int n = 200000;
    double s1 = 0, s2 = 0, s11 = 0, s22 = 0, s12 = 0;
    for (int i = 0; i < n; ++i) {
        const Uniform4 u = rng.bits(Stream::diffusion, std::uint32_t(i), 0);
        double z1, z2;
        box_muller(uniform_open<double>(u.u[1]), uniform_open<double>(u.u[2]), z1, z2);
        s1 += z1, s2 += z2, s11 += z1 * z1, s22 += z2 * z2, s12 += z1 * z2;
    }
    const double se_mean = 1 / std::sqrt(double(n)), se_var = std::sqrt(2.0 / n);
    EXPECT_NEAR(s1 / n, 0, 4 * se_mean);
    EXPECT_NEAR(s2 / n, 0, 4 * se_mean);
    EXPECT_NEAR(s11 / n, 1, 4 * se_var);
    EXPECT_NEAR(s22 / n, 1, 4 * se_var);
    EXPECT_NEAR(s12 / n, 0, 4 * se_mean);
}

}  // namespace
}  // namespace condor
