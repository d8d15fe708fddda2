// Everything a kernel needs to simulate one path, as a plain struct passed by
// value (pbrt-v4 style). Built once per run on the host (host/sim_setup.cpp).
#pragma once

#include "kernels/model_params.h"
#include "kernels/platform.h"

namespace condor {

enum class SchemeId : int { qe = 0, euler = 1 };
enum class SizeDistId : int { fixed = 0, exponential = 1, lognormal = 2 };

// The dynamics of one regime over a step of h years. Diffusion coefficients that
// depend on h are rebuilt on the fly only for the rare sub-steps cut by a jump.
template <class Real>
struct RegimeDynamics {
    Real kappa_x, theta_x, sigma_x, rho;  // x: dx = kappa_x (theta_x - x) dt + sigma_x sqrt(x) dW_x
    Real kappa_y;                         // y: dy = -kappa_y y dt
    Real lambda;                          // jumps per year
    Real eta;                             // equity premium per unit variance (0 under Q)
    Real log_drift;                       // r - q - lambda mbar, per year
};

template <class Real>
struct EventParams {
    int day;  // 1-based trading day
    SizeDistId size_dist;
    Real probability;
    Real size_mean;    // y jump mean, annual variance
    Real size_log_mu;  // lognormal: parameters of ln(size)
    Real size_log_sigma;
    Real spx_log_mean;  // mean log SPX move on the event
    Real spx_log_sd;    // sd of that log move
};

template <class Real>
struct ShockParams {
    int day;
    Real spx_log_move;  // ln(1 + pct/100)
    Real vix_squared;   // (target VIX / 100)^2
};

template <class Real>
struct SimParams {
    std::uint64_t seed;
    int days;  // trading days simulated
    int substeps_per_day;
    Real dt;  // years per sub-step
    SchemeId scheme;
    Real spot;    // S_0, index points
    Real x0, y0;  // initial variance factors, annual variance

    // Shared jump law (DESIGN §3).
    Real phi, mu_v, mu_s, sigma_s, rho_j;

    // Regime 0 (calm, or the only one) and regime 1 (stressed).
    RegimeDynamics<Real> regime[2];
    bool regime_enabled;
    int initial_regime;
    Real switch_probability[2];  // per sub-step, from regime i to the other

    // VIX^2 / 100^2 = vix_a + vix_b_x x + vix_b_y y, Q parameters (kernels/vix_index.h).
    Real vix_a, vix_b_x, vix_b_y;

    int event_count;
    EventParams<Real> events[kMaxEvents];
    int shock_count;
    ShockParams<Real> shocks[kMaxShocks];
};

}  // namespace condor
