// The law of V = VIX_T^2 / 100^2 for one state and expiry, inverted by a COS
// series (Fang & Oosterlee 2008) on [a', a' + L], a' = V's lower bound, and
// tabulated as its survival function on a grid: VIX futures, calls and puts at
// any number of strikes then cost one interpolation each. The kernels' VIX option
// table (vix_option_table.h) is built from it; the Bromwich pricer of
// vix_pricer.h is the independent exact reference it is tested against.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>  // std::once_flag
#include <vector>

#include "host/pricing/affine_transform.h"
#include "host/pricing/fft.h"
#include "host/pricing/vix_reference_law.h"

namespace condor {

struct VixLawSettings {
    double tail_mass = 1e-12;    // P(V > a' + L) bound (Chernoff)
    double cf_tolerance = 1e-9;  // series ends after 16 terms in a row with |phi_mu| below it
                                 // (the error in S is of order |phi_mu| at the last term)
    int min_terms = 32;
    int max_terms = 8192;  // measured: prices within 1e-4 VIX points of the exact pricer (docs/pricing.md)
    int grid_points_per_term = 2;
};

// What every state of one expiry shares: the affine exponents of V's transform
// at frequencies omega = k pi 2^level / widest_range, and the real exponents for
// the Chernoff bound. Thread-safe: the threads building one expiry's states share
// one, and each exponent is computed once, by whichever thread first needs it (in
// blocks of kBlockTerms), while the others go on with other blocks. An exponent depends only on (level, k), so the
// laws' bits do not depend on which thread computed it.
class VixExpiryTransforms {
public:
    // `spanning_states` (x, y) pairs: the widest range any state may need is
    // `margin` times the widest of theirs (the table passes its corner states).
    VixExpiryTransforms(const AffineTransform& transform, double tau_years,
                        const std::vector<std::pair<double, double>>& spanning_states, double margin,
                        const VixLawSettings& settings = {});

    const AffineTransform& transform() const { return transform_; }
    const VixCoefficients& coefficients() const { return coef_; }
    double tau() const { return tau_; }
    double widest_range() const { return widest_range_; }
    const VixLawSettings& settings() const { return settings_; }

    // Upper end of V's range: P(V > b) <= tail_mass by Chernoff, min over h of
    // (ln E[e^{hV}] - ln tail_mass) / h on a geometric grid of h.
    double upper_bound(double x0, double y0) const;
    // A, B_x, B_y of ln E[e^{i omega (b_x x_T + b_y y_T)}] at omega = k pi 2^level / widest_range,
    // for level <= kMaxLevel and k < settings().max_terms.
    const AffineExponent& exponent(int level, int k) const;
    // The real-input transform of n = 2^log2_n points (sign +1), planned on first use.
    const RealFft& real_fft(int log2_n) const;

    static constexpr int kMaxLevel = 60;
    static constexpr int kBlockTerms = 64;
    static constexpr int kMaxLog2FftSize = 40;

private:
    // Computed once, by the first thread to need it (std::call_once), while
    // threads needing other blocks go on; then read through `ready` without locks.
    struct ExponentBlock {
        std::once_flag once;
        std::unique_ptr<AffineExponent[]> values;
        std::atomic<const AffineExponent*> ready{nullptr};
    };
    struct FftSlot {
        std::once_flag once;
        std::unique_ptr<RealFft> fft;
        std::atomic<const RealFft*> ready{nullptr};
    };
    std::unique_ptr<AffineExponent[]> compute_block(int level, int block) const;

    const AffineTransform& transform_;
    VixCoefficients coef_;
    double tau_;
    VixLawSettings settings_;
    std::vector<double> h_;                 // Chernoff grid
    std::vector<AffineExponent> real_exp_;  // ln E[e^{h (b_x x_T + b_y y_T)}] exponents (real parts)
    double widest_range_ = 0;
    int blocks_per_level_ = 0;
    std::unique_ptr<ExponentBlock[]> blocks_;  // [level][block]
    std::unique_ptr<FftSlot[]> ffts_;          // by log2 of the size
};

class VixTerminalLaw {
public:
    VixTerminalLaw(const VixExpiryTransforms& expiry, double x0, double y0);

    // Undiscounted, in VIX points.
    double future() const { return 100 * mean_sqrt_; }
    double call(double strike_points) const;
    double put(double strike_points) const;
    // The law's support in VIX points: its floor 100 sqrt(a'), and the top of its
    // grid, above which the survival function is 0.
    double floor_points() const { return 100 * w_first_; }
    double top_points() const { return 100 * (w_first_ + w_step_ * (above_.size() - 1)); }

    int terms() const { return terms_; }
    bool converged() const { return converged_; }
    double lower_bound() const { return a_; }  // a', annual variance units

private:
    double interpolate(const std::vector<double>& values, double w) const;

    double a_ = 0;                       // a', annual variance
    double w_first_ = 0, w_step_ = 0;    // grid w_m = sqrt(a') + m w_step in sqrt(V), m = 0..P
    std::vector<double> above_, below_;  // int_{w_m}^{top} S(w^2) dw, int_{sqrt a'}^{w_m} (1 - S(w^2)) dw
    double mean_sqrt_ = 0;               // E[sqrt V]
    int terms_ = 0;
    bool converged_ = true;
};

// One state and expiry on its own (the expiry data built for it alone).
VixTerminalLaw vix_terminal_law(const AffineTransform& transform, double x0, double y0, double tau_years,
                                const VixLawSettings& settings = {});

}  // namespace condor
