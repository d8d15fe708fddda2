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

// a * b, the textbook product (ac - bd, ad + bc): what std::complex's operator*
// computes for finite operands, without the NaN check and library call
// (__muldc3, C99 Annex G) that GCC adds to each product. In the butterflies'
// loop both compile to the same unfused arithmetic (the VIX table's bytes are
// unchanged by it); GCC 12 may fuse such a product into vfmaddsub where its
// straight-line vectoriser pairs the two parts, even under -ffp-contract=off.
inline std::complex<double> times(std::complex<double> a, std::complex<double> b) {
    return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
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
                const std::complex<double> odd = times(data[start + half + k], twiddle_[k * stride]);
                data[start + half + k] = data[start + k] - odd;
                data[start + k] += odd;
            }
}

RealFft::RealFft(std::size_t n, int sign) : half_(n / 2, sign) {
    if (n < 4) throw std::invalid_argument("RealFft: size must be a power of two, at least 4");
    twiddle_.resize(n / 2 + 1);
    for (std::size_t m = 0; m <= n / 2; ++m) twiddle_[m] = unit_root(sign, m, n);
    for (const std::complex<double>& t : twiddle_) {
        twiddle_re_.push_back(t.real());
        twiddle_im_.push_back(t.imag());
    }
}

// Z_j, the half-size transform of z_j = r_{2j} + i r_{2j+1}.
std::vector<std::complex<double>> RealFft::half_transform(const std::vector<double>& real) const {
    const std::size_t h = half_.size();
    if (real.size() > 2 * h) throw std::invalid_argument("RealFft: more inputs than the transform size");
    std::vector<std::complex<double>> z(h, 0.0);
    for (std::size_t k = 0; k < real.size(); ++k)
        if (k % 2 == 0)
            z[k / 2].real(real[k]);
        else
            z[k / 2].imag(real[k]);
    half_.apply(z.data());
    return z;
}

std::vector<std::complex<double>> RealFft::apply(const std::vector<double>& real) const {
    const std::vector<std::complex<double>> z = half_transform(real);
    const std::size_t h = half_.size();
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

// apply()'s imaginary parts on separate real and imaginary arrays, so that the
// loop vectorises (10% of the VIX table's build went to apply()'s loop). The
// products of std::complex are written out: (-0 - i/2)(d_re + i d_im), then
// t * odd, whose imaginary part GCC 12 compiles in apply() (with -march=native)
// to one fused multiply-add, Im = fma(t_im, odd_re, t_re odd_im) (vfmaddsub,
// despite -ffp-contract=off). std::fma computes that exactly rounded on every
// build, so the VIX table keeps the bits it had with apply(), measured.
std::vector<double> RealFft::imaginary_parts(const std::vector<double>& real) const {
    const std::vector<std::complex<double>> z = half_transform(real);
    const std::size_t h = half_.size();
    std::vector<double> zm_re(h + 1), zm_im(h + 1), zc_re(h + 1), zc_im(h + 1);
    for (std::size_t m = 0; m <= h; ++m) {
        const std::size_t mm = m == h ? 0 : m, mirror = m == 0 ? 0 : h - m;
        zm_re[m] = z[mm].real(), zm_im[m] = z[mm].imag();
        zc_re[m] = z[mirror].real(), zc_im[m] = -z[mirror].imag();
    }
    std::vector<double> out(h + 1);
    const double* __restrict t_re = twiddle_re_.data();
    const double* __restrict t_im = twiddle_im_.data();
    for (std::size_t m = 0; m <= h; ++m) {
        const double even_im = 0.5 * (zm_im[m] + zc_im[m]);
        const double d_re = zm_re[m] - zc_re[m], d_im = zm_im[m] - zc_im[m];
        const double odd_re = -0.0 * d_re - -0.5 * d_im, odd_im = -0.0 * d_im + -0.5 * d_re;
        out[m] = even_im + std::fma(t_im[m], odd_re, t_re[m] * odd_im);
    }
    return out;
}

}  // namespace condor
