// Plain-data model parameters in annual units (DESIGN §3). These are the values a
// scenario file carries; kernels receive derived coefficients (see sim_params.h).
#pragma once

namespace condor {

// Parameters that differ between the physical measure P and the risk-neutral
// measure Q (risk premia apply to them).
struct MeasureParams {
    double kappa_x = 0;  // mean-reversion speed of the slow factor x, per year
    double theta_x = 0;  // long-run level of x, annual variance
    double kappa_y = 0;  // decay speed of the spike factor y, per year
    double lambda = 0;   // jump intensity, jumps per year
    double mu_v = 0;     // mean variance-jump size (exponential), annual variance
    double mu_s = 0;     // mean log price jump when J_v = 0
    double eta = 0;      // equity premium per unit variance (P only; 0 under Q)
};

// Parameters shared by P and Q.
struct SharedParams {
    double sigma_x = 0;  // vol of variance of x, per sqrt(year)
    double rho = 0;      // corr(dW_1, dW_x)
    double phi = 1;      // share of each variance jump that goes to x (1 - phi to y)
    double sigma_s = 0;  // sd of log price jumps
    double rho_j = 0;    // J_S | J_v ~ N(mu_s + rho_j J_v, sigma_s^2)
};

struct MarketParams {
    double spot = 0;            // SPX index points
    double rate = 0;            // continuously compounded, per year
    double dividend_yield = 0;  // continuously compounded, per year
};

}  // namespace condor
