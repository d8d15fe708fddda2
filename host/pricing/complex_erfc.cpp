// Two classical expansions (Abramowitz & Stegun 7.1.5 and 7.1.15), each used
// where it converges fast:
//   |z| < 2: erf z = 2/sqrt(pi) sum_n (-1)^n z^{2n+1} / (n! (2n + 1)),  erfc = 1 - erf;
//            the terms stay below e^{|z|^2} < 55, so about 14 digits survive.
//   |z| >= 2, |arg z| <= pi/4: Laplace's continued fraction
//            erfc z = e^{-z^2} / sqrt(pi) * 1 / (z + (1/2) / (z + 1 / (z + (3/2) / (z + 2 / (z + ...))))),
//            evaluated bottom-up from a fixed depth (stable; converged well before).
#include "host/pricing/complex_erfc.h"

#include <cmath>

namespace condor {

std::complex<double> erfc_sector(std::complex<double> z) {
    constexpr double inv_sqrt_pi = 0.56418958354775628695;
    if (std::abs(z) < 2) {
        const std::complex<double> z2 = z * z;
        std::complex<double> term = z, sum = z;  // term_n = (-1)^n z^{2n+1} / n!
        for (int n = 1; n < 200; ++n) {
            term *= -z2 / double(n);
            const std::complex<double> add = term / double(2 * n + 1);
            sum += add;
            if (std::abs(add) < 1e-17 * std::abs(sum)) break;
        }
        return 1.0 - 2.0 * inv_sqrt_pi * sum;
    }
    std::complex<double> tail = z;
    for (int n = 120; n >= 1; --n) tail = z + (0.5 * n) / tail;
    return std::exp(-z * z) * inv_sqrt_pi / tail;
}

}  // namespace condor
