#include "host/pricing/fft.h"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace condor {

// Iterative decimation in time: bit-reversal permutation, then log2(n) passes of
// butterflies. Each pass's twiddles come from exact sin/cos of the base angle
// (not a recurrence), so the error stays at a few eps times log2(n).
void fft_in_place(std::vector<std::complex<double>>& data, int sign) {
    const std::size_t n = data.size();
    if (n == 0 || (n & (n - 1)) != 0) throw std::invalid_argument("fft_in_place: size must be a power of two");
    for (std::size_t i = 1, j = 0; i < n; ++i) {
        std::size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) std::swap(data[i], data[j]);
    }
    const double pi = 3.14159265358979323846;
    std::vector<std::complex<double>> twiddle;
    for (std::size_t half = 1; half < n; half *= 2) {
        twiddle.resize(half);
        for (std::size_t k = 0; k < half; ++k) {
            const double angle = sign * pi * double(k) / double(half);
            twiddle[k] = {std::cos(angle), std::sin(angle)};
        }
        for (std::size_t start = 0; start < n; start += 2 * half)
            for (std::size_t k = 0; k < half; ++k) {
                const std::complex<double> odd = data[start + half + k] * twiddle[k];
                data[start + half + k] = data[start + k] - odd;
                data[start + k] += odd;
            }
    }
}

}  // namespace condor
