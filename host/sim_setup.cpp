#include "host/sim_setup.h"

#include <algorithm>
#include <cmath>

namespace condor {

MeasureParams simulation_measure(const Scenario& s) {
    if (s.run.measure == Measure::physical) return s.model.p;
    MeasureParams q = s.model.q;
    q.eta = 0;  // no equity premium under Q
    return q;
}

namespace {

template <class Real>
RegimeDynamics<Real> make_regime(const Scenario& s, const MeasureParams& m) {
    const SharedParams& shared = s.model.shared;
    RegimeDynamics<Real> d{};
    d.kappa_x = Real(m.kappa_x);
    d.theta_x = Real(m.theta_x);
    d.sigma_x = Real(shared.sigma_x);
    d.rho = Real(shared.rho);
    d.kappa_y = Real(m.kappa_y);
    d.lambda = Real(m.lambda);
    d.eta = Real(m.eta);
    // Compensated jumps: E[dS/S] = (r - q + eta v) dt (DESIGN §3).
    const double compensator = m.lambda > 0 ? m.lambda * mean_price_jump(shared, m) : 0.0;
    d.log_drift = Real(s.market.rate - s.market.dividend_yield - compensator);
    return d;
}

template <class Real>
EventParams<Real> make_event(const ScheduledEvent& e) {
    EventParams<Real> out{};
    out.day = e.day;
    out.probability = Real(e.probability);
    out.size_mean = Real(e.size_mean);
    out.size_dist = e.size_dist == SizeDistribution::fixed         ? SizeDistId::fixed
                    : e.size_dist == SizeDistribution::exponential ? SizeDistId::exponential
                                                                   : SizeDistId::lognormal;
    if (out.size_dist == SizeDistId::lognormal && e.size_mean > 0) {
        // Lognormal with mean m and sd s: ln X ~ N(ln m - sigma^2/2, sigma^2), sigma^2 = ln(1 + s^2/m^2).
        const double log_var = std::log1p(e.size_sd * e.size_sd / (e.size_mean * e.size_mean));
        out.size_log_sigma = Real(std::sqrt(log_var));
        out.size_log_mu = Real(std::log(e.size_mean) - 0.5 * log_var);
    } else if (out.size_dist == SizeDistId::lognormal) {
        out.size_dist = SizeDistId::fixed;  // mean 0: no spike at all
    }
    // The co-move is lognormal: its mean and sd are those of the log return.
    out.spx_log_mean = Real(std::log1p(e.spx_move_mean_pct / 100.0));
    out.spx_log_sd = Real(e.spx_move_sd_pct / 100.0);
    return out;
}

}  // namespace

template <class Real>
SimParams<Real> make_sim_params(const Scenario& s) {
    SimParams<Real> p{};
    p.seed = s.run.seed;
    p.days = s.simulated_days();
    p.substeps_per_day = s.run.substeps_per_day;
    p.dt = Real(1.0 / (kTradingDaysPerYear * s.run.substeps_per_day));
    p.scheme = s.run.scheme == Scheme::euler ? SchemeId::euler : SchemeId::qe;
    p.spot = Real(s.market.spot);
    p.x0 = Real(s.state.x0);
    p.y0 = Real(s.state.y0);

    const MeasureParams m = simulation_measure(s);
    const SharedParams& shared = s.model.shared;
    p.phi = Real(shared.phi);
    p.mu_v = Real(m.mu_v);
    p.mu_s = Real(m.mu_s);
    p.sigma_s = Real(shared.sigma_s);
    p.rho_j = Real(shared.rho_j);

    p.regime[0] = make_regime<Real>(s, m);
    p.regime[1] = p.regime[0];
    p.regime_enabled = s.run.measure == Measure::physical && s.regime.enabled;
    p.initial_regime = 0;
    if (p.regime_enabled) {
        MeasureParams stressed = m;
        stressed.theta_x = s.regime.theta_x_stressed;
        stressed.lambda = s.regime.lambda_stressed;
        p.regime[1] = make_regime<Real>(s, stressed);
        p.initial_regime = s.regime.start_stressed ? 1 : 0;
        p.switch_probability[0] = Real(-std::expm1(-s.regime.to_stressed_per_year * double(p.dt)));
        p.switch_probability[1] = Real(-std::expm1(-s.regime.to_calm_per_year * double(p.dt)));
    }

    const VixCoefficients vix = vix_coefficients(shared, s.model.q);
    p.vix_a = Real(vix.a);
    p.vix_b_x = Real(vix.b_x);
    p.vix_b_y = Real(vix.b_y);

    // Events and shocks are scenarios of the physical world: a Q run is the
    // pure risk-neutral model (see ignored_under_q). Kernels walk them in day order.
    if (s.run.measure == Measure::risk_neutral) return p;
    std::vector<ScheduledEvent> events = s.events;
    std::stable_sort(events.begin(), events.end(), [](auto& a, auto& b) { return a.day < b.day; });
    p.event_count = int(events.size());
    // Scenario days count from entry; the kernels count from the start of the warm-up.
    for (int k = 0; k < p.event_count; ++k) {
        p.events[k] = make_event<Real>(events[k]);
        p.events[k].day += s.trade.warmup_days;
    }
    std::vector<StressShock> shocks = s.shocks;
    std::stable_sort(shocks.begin(), shocks.end(), [](auto& a, auto& b) { return a.day < b.day; });
    p.shock_count = int(shocks.size());
    for (int k = 0; k < p.shock_count; ++k) {
        p.shocks[k].day = shocks[k].day + s.trade.warmup_days;
        p.shocks[k].spx_log_move = Real(std::log1p(shocks[k].spx_move_pct / 100.0));
        p.shocks[k].vix_squared = Real(shocks[k].vix_level * shocks[k].vix_level / 1e4);
    }
    return p;
}

std::vector<std::string> ignored_under_q(const Scenario& s) {
    std::vector<std::string> notes;
    if (s.run.measure != Measure::risk_neutral) return notes;
    if (!s.events.empty()) notes.push_back("run.measure = \"Q\": the scenario's events are not simulated under Q");
    if (!s.shocks.empty()) notes.push_back("run.measure = \"Q\": the scenario's shocks are not simulated under Q");
    if (s.regime.enabled) notes.push_back("run.measure = \"Q\": the regime switching is not simulated under Q");
    return notes;
}

template SimParams<float> make_sim_params<float>(const Scenario&);
template SimParams<double> make_sim_params<double>(const Scenario&);

StatsLayout make_stats_layout(const Scenario& s, bool terminal_only) {
    // 8192 bins over each log range: quantiles are exact to within one bin,
    // i.e. to 0.08% (SPX) and 0.09% (VIX) relative.
    constexpr int kBins = 8192;
    StatsLayout layout{};
    layout.days = s.simulated_days();
    layout.first_day = terminal_only ? layout.days : 0;
    layout.daily_bins[kSpx] = LogBinning{s.market.spot, -3.0, 3.0, kBins};
    layout.daily_bins[kVix] = LogBinning{1.0, 0.0, std::log(1000.0), kBins};
    layout.daily_bins[kVarX] = LogBinning{1.0, 0.0, 1.0, 0};
    layout.daily_bins[kVarY] = LogBinning{1.0, 0.0, 1.0, 0};
    layout.path_bins[kMaxVix] = layout.daily_bins[kVix];
    layout.path_bins[kRealizedVol] = LogBinning{1.0, std::log(1e-3), std::log(10.0), kBins};
    return layout;
}

}  // namespace condor
