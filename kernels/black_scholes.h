// Black–Scholes on the forward (Black 1976), shared by host pricers and kernels.
// Prices are per unit of discount factor times forward unless stated; the
// kernels mark options from an interpolated implied vol with these functions.
#pragma once

#include <cmath>

#include "kernels/platform.h"

namespace condor {

// Standard normal CDF via erfc, accurate in relative terms far into the left tail.
// Out of line on the GPU: one copy of erfc's machine code serves every call.
CONDOR_HD CONDOR_OUTLINE double normal_cdf(double z) { return 0.5 * erfc(-z * 0.70710678118654752440); }

CONDOR_HD inline double normal_pdf(double z) { return 0.39894228040143267794 * exp(-0.5 * z * z); }

// Undiscounted call and put on a forward F, strike K, total vol s = sigma sqrt(T):
//   call = F N(d1) - K N(d2),  put = K N(-d2) - F N(-d1),  d1,2 = ln(F/K)/s +- s/2
// (Black 1976). s = 0 gives the intrinsic value.
CONDOR_HD inline double black_call(double forward, double strike, double total_vol) {
    if (!(total_vol > 0)) return forward > strike ? forward - strike : 0.0;
    const double d1 = log(forward / strike) / total_vol + 0.5 * total_vol;
    return forward * normal_cdf(d1) - strike * normal_cdf(d1 - total_vol);
}

CONDOR_HD inline double black_put(double forward, double strike, double total_vol) {
    if (!(total_vol > 0)) return strike > forward ? strike - forward : 0.0;
    const double d1 = log(forward / strike) / total_vol + 0.5 * total_vol;
    return strike * normal_cdf(total_vol - d1) - forward * normal_cdf(-d1);
}

// dPrice/dF (undiscounted) and dPrice/d(total vol) = F phi(d1).
CONDOR_HD inline double black_call_delta(double forward, double strike, double total_vol) {
    if (!(total_vol > 0)) return forward > strike ? 1.0 : 0.0;
    return normal_cdf(log(forward / strike) / total_vol + 0.5 * total_vol);
}

CONDOR_HD inline double black_vega_total(double forward, double strike, double total_vol) {
    if (!(total_vol > 0)) return 0.0;
    return forward * normal_pdf(log(forward / strike) / total_vol + 0.5 * total_vol);
}

}  // namespace condor
