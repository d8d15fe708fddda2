// The random-number building blocks both backends share.
#include <gtest/gtest.h>

#include <cmath>

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
