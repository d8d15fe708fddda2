// The reference law of V = VIX_T^2 / 100^2 near its lower bound (vix_reference_law.cpp
// derives it): W times the law of a' + s G, G ~ Gamma(p, 1). It carries the
// singular part of V's law (the CIR density x^{p-1} at x_T = 0, or a point mass
// when sigma_x = 0), so that what remains is smooth enough to invert by Fourier
// methods: the Bromwich integral of vix_pricer.cpp and the COS series of
// vix_terminal_law.cpp both subtract it.
#pragma once

#include <complex>
#include <vector>

#include "host/pricing/affine_transform.h"
#include "kernels/vix_index.h"

namespace condor {

struct VixReferenceLaw {
    double weight = 0;  // W, in [0, 1]
    double shift = 0;   // a' = a + b_y y0 e^{-kappa_y T}: V >= a' on every path
    double scale = 0;   // s (0: a point mass at a', when sigma_x = 0)
    double shape = 0;   // p = 2 kappa_x theta_x / sigma_x^2

    // ln(W E[e^{z (a' + s G)}]) = ln W + z a' - p ln(1 - z s).
    std::complex<double> log_transform(std::complex<double> z) const;
};

VixReferenceLaw vix_reference_law(const RiskNeutralModel& m, const VixCoefficients& coef, double x0, double y0,
                                  double tau_years);

// E[(sqrt(a' + s G) - k)^+] for the reference law with W = 1, k = strike / 100;
// accurate to about 1e-12 (quadrature over the gamma law).
double reference_call(const VixReferenceLaw& r, double k);

// P(lo < G <= hi) for G ~ Gamma(p, 1), 0 <= lo <= hi.
double gamma_mass(double shape, double lo, double hi);

// int_{w_m}^{w_{m+1}} P(sqrt(a' + s G) > w) dw for the cells w_m = w_first + m w_step,
// m < cells (W = 1, s > 0): the reference law's share of the VIX payoff integrals.
std::vector<double> reference_cell_integrals(const VixReferenceLaw& r, double w_first, double w_step, int cells);

}  // namespace condor
