// A radix-2 fast Fourier transform (Cooley & Tukey 1965), enough for the VIX law's
// sine series (vix_terminal_law.cpp): sizes are powers of two, in place.
#pragma once

#include <complex>
#include <vector>

namespace condor {

// data[m] <- sum_k data[k] exp(sign * 2 pi i k m / n), n = data.size() a power of two.
void fft_in_place(std::vector<std::complex<double>>& data, int sign);

}  // namespace condor
