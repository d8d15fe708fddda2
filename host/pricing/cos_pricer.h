// European SPX options under Q by the COS method (Fang & Oosterlee 2008).
#pragma once

#include <vector>

#include "host/pricing/affine_transform.h"

namespace condor {

enum class OptionType { call, put };

struct CosSettings {
    // Probability left outside the truncation range on each side (a bound).
    double tail_mass = 1e-14;
    // Terms: the least power of two >= min_terms at which |phi(omega_N)| falls
    // below cf_tolerance (the series error is of that order), at most max_terms.
    double cf_tolerance = 1e-15;
    int min_terms = 64;
    int max_terms = 1 << 16;
};

// Truncation range [a, b] of Y = ln(S_T/F_T) with at most `tail_mass` outside on each side.
struct CosRange {
    double a, b;
};
CosRange cos_truncation_range(const AffineTransform& transform, double x0, double y0, double tau_years,
                              double tail_mass);

// The least power of two >= settings.min_terms (at most max_terms) at which
// |phi(N pi / (b - a))| falls below settings.cf_tolerance for this state.
int cos_terms_needed(const AffineTransform& transform, double x0, double y0, double tau_years, const CosRange& range,
                     const CosSettings& settings);

// The law of Y = ln(S_T/F_T) for one state and expiry, as COS coefficients: many
// strikes at this (x, y, tau) share one set of characteristic-function values.
class CosExpiry {
public:
    CosExpiry(const AffineTransform& transform, double x0, double y0, double tau_years,
              const CosSettings& settings = {});
    // From precomputed coefficients Re(phi(omega_n) e^{-i omega_n a}) on [a, b]
    // (the SPX vol table shares the transform across states).
    CosExpiry(const CosRange& range, std::vector<double> coefficients);

    // Undiscounted put price divided by the forward, E[(e^k - e^Y)^+], k = ln(K/F).
    double put_over_forward(double log_moneyness) const;
    // The same at `count` log-moneyness values: out[i] is bit for bit
    // put_over_forward(log_moneyness[i]), several strikes per vector where the
    // build has lanes (kernels/lanes.h).
    void put_over_forward(const double* log_moneyness, double* out, int count) const;

    double lower() const { return a_; }
    double upper() const { return b_; }
    int terms() const { return int(re_.size()); }
    // False when max_terms was reached before |phi| fell below cf_tolerance: the
    // law is nearly a point mass (x = y = 0 at very short expiries) and the
    // series may be off in the last digits that matter.
    bool converged() const { return converged_; }

private:
    template <class T>
    T series(T log_moneyness, T exp_log_moneyness, T cos_theta, T sin_theta) const;

    double a_ = 0, b_ = 0;
    bool converged_ = true;
    void precompute();

    // Re(phi(omega_n) e^{-i omega_n a}), omega_n = n pi / (b - a).
    std::vector<double> re_;
    // 1 / omega_n and 1 / (1 + omega_n^2), shared by all strikes.
    std::vector<double> inv_omega_, inv_one_plus_omega2_;
};

// Present value of a European option in index points.
struct OptionPrice {
    double price = 0;
    double forward = 0;     // F = S e^{(r - q) tau}
    double discount = 1;    // e^{-r tau}
    int terms = 0;          // COS terms used
    bool converged = true;  // CosExpiry::converged()
};

OptionPrice price_european(const AffineTransform& transform, OptionType type, double spot, double strike,
                           double tau_years, double x0, double y0, const CosSettings& settings = {});
// The same from an expiry's law already at hand: it does not depend on spot or
// strike, so bumped spots (delta) and many strikes reuse it.
OptionPrice price_european(const CosExpiry& expiry, const RiskNeutralModel& model, OptionType type, double spot,
                           double strike, double tau_years);

}  // namespace condor
