// VIX futures under Q from the law of VIX_T^2 = a + b_x x_T + b_y y_T (DESIGN §4).
#pragma once

#include <vector>

#include "host/pricing/affine_transform.h"

namespace condor {

// The VIX future's integral (vix_pricer.cpp) on fixed nodes for one expiry: the
// affine exponents, which do not depend on the state, are evaluated once; each
// state then costs one exponential per node. `scale` ~ 1/sqrt(V) sets the nodes.
class VixFutureNodes {
public:
    VixFutureNodes(const AffineTransform& transform, double tau_years, double scale);
    double future(double x0, double y0) const;

private:
    double a_ = 0;
    std::vector<double> z_, weight_;
    std::vector<AffineExponent> exponents_;
};

// E_Q[VIX_T | x_0, y_0] in VIX points: the fair VIX futures price for expiry
// tau_years (futures are marked to market daily, so no discounting).
double vix_future(const AffineTransform& transform, double x0, double y0, double tau_years);

// E_Q[ln VIX_T | x_0, y_0].
double vix_log_moment(const AffineTransform& transform, double x0, double y0, double tau_years);

// VVIX in points: the VIX methodology applied to VIX options of 30-day expiry, i.e.
// the log contract on the VIX future, VVIX^2 = (2 / tau) (ln F - E[ln VIX_T]), tau = 30/365.
double vvix(const AffineTransform& transform, double x0, double y0);

// Undiscounted E_Q[(VIX_T - K)^+] and E_Q[(K - VIX_T)^+], K in VIX points.
double vix_call_undiscounted(const AffineTransform& transform, double x0, double y0, double tau_years, double strike);
double vix_put_undiscounted(const AffineTransform& transform, double x0, double y0, double tau_years, double strike);

}  // namespace condor
