// The FFTs behind the VIX law's sine series, against a direct O(n^2) DFT in
// long double on random (non-zero) inputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <random>
#include <vector>

#include "host/pricing/fft.h"

namespace condor {
namespace {

using Complex = std::complex<double>;

// sum_k in_k exp(sign 2 pi i k m / n), m = 0..outputs-1, by the definition.
std::vector<Complex> direct_dft(const std::vector<Complex>& in, std::size_t n, int sign, std::size_t outputs) {
    const long double pi = 3.141592653589793238462643383279502884L;
    std::vector<Complex> out(outputs);
    for (std::size_t m = 0; m < outputs; ++m) {
        long double re = 0, im = 0;
        for (std::size_t k = 0; k < in.size(); ++k) {
            const long double angle = sign * 2 * pi * static_cast<long double>((k * m) % n) / n;
            re += in[k].real() * std::cos(angle) - in[k].imag() * std::sin(angle);
            im += in[k].real() * std::sin(angle) + in[k].imag() * std::cos(angle);
        }
        out[m] = Complex(double(re), double(im));
    }
    return out;
}

double largest_error(const std::vector<Complex>& a, const std::vector<Complex>& b) {
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

TEST(FftPlan, MatchesTheDirectTransform) {
    std::mt19937_64 rng(11);
    std::normal_distribution<double> normal;
    for (std::size_t n : {1, 2, 4, 8, 64, 1024}) {
        for (int sign : {-1, +1}) {
            std::vector<Complex> data(n);
            for (auto& z : data) z = Complex(normal(rng), normal(rng));
            const std::vector<Complex> expected = direct_dft(data, n, sign, n);
            FftPlan(n, sign).apply(data.data());
            // Rounding grows like eps sqrt(n) log2(n) times the input norm (~sqrt(n)).
            EXPECT_LT(largest_error(data, expected), 1e-13 * n) << "n = " << n << ", sign = " << sign;
        }
    }
}

TEST(FftPlan, RejectsSizesThatAreNotPowersOfTwo) {
    EXPECT_THROW(FftPlan(0, 1), std::invalid_argument);
    EXPECT_THROW(FftPlan(12, 1), std::invalid_argument);
}

TEST(RealFft, MatchesTheDirectTransformOnTheFirstHalf) {
    std::mt19937_64 rng(12);
    std::normal_distribution<double> normal;
    for (std::size_t n : {4, 8, 256, 2048}) {
        for (int sign : {-1, +1}) {
            // A zero-padded input, as the sine series passes it.
            std::vector<double> real(std::min(n, n / 2 + 3));
            for (double& r : real) r = normal(rng);
            const std::vector<Complex> expected =
                direct_dft(std::vector<Complex>(real.begin(), real.end()), n, sign, n / 2 + 1);
            const std::vector<Complex> got = RealFft(n, sign).apply(real);
            ASSERT_EQ(got.size(), n / 2 + 1);
            EXPECT_LT(largest_error(got, expected), 1e-13 * n) << "n = " << n << ", sign = " << sign;
            // The imaginary parts alone (the VIX law's sine sums), to the same bound.
            const std::vector<double> imaginary = RealFft(n, sign).imaginary_parts(real);
            ASSERT_EQ(imaginary.size(), n / 2 + 1);
            double worst = 0;
            for (std::size_t m = 0; m <= n / 2; ++m)
                worst = std::max(worst, std::fabs(imaginary[m] - expected[m].imag()));
            EXPECT_LT(worst, 1e-13 * n) << "n = " << n << ", sign = " << sign;
        }
    }
    EXPECT_THROW(RealFft(8, 1).apply(std::vector<double>(9, 1.0)), std::invalid_argument);
}

}  // namespace
}  // namespace condor
