#include "host/pricing/fft.h"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace condor {

namespace {
constexpr double kPi = 3.14159265358979323846;

// Exact sin/cos of each angle (not a recurrence), so the error stays at a few
// eps times log2(n).
std::complex<double> unit_root(int sign, std::size_t j, std::size_t n) {
    const double angle = sign * 2 * kPi * double(j) / double(n);
    return {std::cos(angle), std::sin(angle)};
}
}  // namespace

FftPlan::FftPlan(std::size_t n, int sign) : n_(n) {
    if (n == 0 || (n & (n - 1)) != 0) throw std::invalid_argument("FftPlan: size must be a power of two");
    twiddle_.resize(n / 2);
    for (std::size_t j = 0; j < n / 2; ++j) twiddle_[j] = unit_root(sign, j, n);
    for (std::size_t i = 1, j = 0; i < n; ++i) {
        std::size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) {
            swaps_.push_back(i);
            swaps_.push_back(j);
        }
    }
}

// Iterative decimation in time: bit-reversal permutation, then log2(n) passes of
// butterflies; the pass of half-length h uses every (n / 2h)-th twiddle.
void FftPlan::apply(std::complex<double>* data) const {
    for (std::size_t s = 0; s < swaps_.size(); s += 2) std::swap(data[swaps_[s]], data[swaps_[s + 1]]);
    for (std::size_t half = 1, stride = n_ / 2; half < n_; half *= 2, stride /= 2)
        for (std::size_t start = 0; start < n_; start += 2 * half)
            for (std::size_t k = 0; k < half; ++k) {
                const std::complex<double> odd = data[start + half + k] * twiddle_[k * stride];
                data[start + half + k] = data[start + k] - odd;
                data[start + k] += odd;
            }
}

RealFft::RealFft(std::size_t n, int sign) : half_(n / 2, sign) {
    if (n < 4) throw std::invalid_argument("RealFft: size must be a power of two, at least 4");
    twiddle_.resize(n / 2 + 1);
    for (std::size_t m = 0; m <= n / 2; ++m) twiddle_[m] = unit_root(sign, m, n);
}

std::vector<std::complex<double>> RealFft::apply(const std::vector<double>& real) const {
    const std::size_t h = half_.size();
    if (real.size() > 2 * h) throw std::invalid_argument("RealFft: more inputs than the transform size");
    std::vector<std::complex<double>> z(h, 0.0);
    for (std::size_t k = 0; k < real.size(); ++k)
        if (k % 2 == 0)
            z[k / 2].real(real[k]);
        else
            z[k / 2].imag(real[k]);
    half_.apply(z.data());
    const std::complex<double> half_i(0, 0.5);
    std::vector<std::complex<double>> out(h + 1);
    for (std::size_t m = 0; m <= h; ++m) {
        // Z is periodic in m with period h: Z_h = Z_0.
        const std::size_t mm = m == h ? 0 : m, mirror = m == 0 ? 0 : h - m;
        const std::complex<double> zm = z[mm], zc = std::conj(z[mirror]);
        const std::complex<double> even = 0.5 * (zm + zc), odd = -half_i * (zm - zc);
        out[m] = even + twiddle_[m] * odd;
    }
    return out;
}

}  // namespace condor
