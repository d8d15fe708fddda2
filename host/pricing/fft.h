// A radix-2 fast Fourier transform (Cooley & Tukey 1965), enough for the VIX law's
// sine series (vix_terminal_law.cpp): sizes are powers of two, in place.
#pragma once

#include <complex>
#include <cstddef>
#include <vector>

namespace condor {

// data[m] <- sum_k data[k] exp(sign * 2 pi i k m / n) for a fixed power of two n.
// The twiddles and the bit-reversal permutation are computed once per plan, so
// that many transforms of one size cost only their butterflies.
class FftPlan {
public:
    FftPlan(std::size_t n, int sign);
    std::size_t size() const { return n_; }
    void apply(std::complex<double>* data) const;

private:
    std::size_t n_;
    std::vector<std::complex<double>> twiddle_;  // exp(sign 2 pi i j / n), j < n / 2
    std::vector<std::size_t> swaps_;             // pairs (i, j), i < j, of the bit reversal
};

// X_m = sum_{k<n} r_k exp(sign * 2 pi i k m / n), m = 0..n/2, for real r and a
// power of two n >= 4: one complex transform of size n/2 on z_j = r_{2j} + i r_{2j+1},
// then X_m = E_m + exp(sign 2 pi i m / n) O_m with E_m = (Z_m + conj Z_{n/2-m}) / 2,
// O_m = (Z_m - conj Z_{n/2-m}) / (2i) (Press et al., Numerical Recipes, 3rd ed., §12.3).
class RealFft {
public:
    RealFft(std::size_t n, int sign);
    std::size_t size() const { return 2 * half_.size(); }
    // `real` holds at most n values (the rest are zero); returns X_0..X_{n/2}.
    std::vector<std::complex<double>> apply(const std::vector<double>& real) const;
    // Im X_0..Im X_{n/2}, bit for bit those of apply() (the VIX law's sine sums).
    std::vector<double> imaginary_parts(const std::vector<double>& real) const;

private:
    std::vector<std::complex<double>> half_transform(const std::vector<double>& real) const;

    FftPlan half_;
    std::vector<std::complex<double>> twiddle_;  // exp(sign 2 pi i m / n), m <= n / 2
    std::vector<double> twiddle_re_, twiddle_im_;
};

}  // namespace condor
