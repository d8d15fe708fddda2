// Gauss–Legendre quadrature nodes and weights (Abramowitz & Stegun 25.4.29),
// found by Newton's method on the Legendre polynomial P_n.
#pragma once

#include <vector>

namespace condor {

struct QuadratureRule {
    std::vector<double> nodes;    // on [0, 1]
    std::vector<double> weights;  // sum to 1
};

// The n-point rule mapped to [0, 1]; exact for polynomials of degree 2n - 1.
QuadratureRule gauss_legendre(int n);

}  // namespace condor
