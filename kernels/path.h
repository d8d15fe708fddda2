// The per-path simulation, written once for both backends (DESIGN §1, §3): one
// call simulates one path over the whole horizon under the measure the run
// chose, and reports each daily close to a sink.
#pragma once

#include <cmath>

#include "kernels/platform.h"
#include "kernels/rng.h"
#include "kernels/sim_params.h"
#include "kernels/special_functions.h"
#include "kernels/variance_step.h"
#include "kernels/vix_index.h"

namespace condor {

// What a path reports besides its daily closes.
template <class Real>
struct PathSummary {
    Real max_vix;                 // over the daily closes 0..days, VIX points
    Real realized_vol;            // sqrt(252/days * sum of squared daily log returns)
    std::uint32_t jumps;          // SVCJ jumps
    std::uint32_t events;         // scheduled events that happened
    std::uint32_t shocks_capped;  // shocks whose VIX target was below what x alone implies
};

// A jump of the SVCJ law (DESIGN §3): J_v ~ Exp(mu_v) split phi : (1 - phi)
// between x and y, J_S | J_v ~ N(mu_s + rho_j J_v, sigma_s^2) added to ln S.
template <class Real>
CONDOR_HD CONDOR_INLINE void apply_svcj_jump(const SimParams<Real>& p, const Uniform4& bits, PathState<Real>& s) {
    const Real jump_v = -p.mu_v * log_positive(uniform_open<Real>(bits.u[1]));
    Real z, unused;
    box_muller(uniform_open<Real>(bits.u[2]), uniform_open<Real>(bits.u[3]), z, unused);
    s.x += p.phi * jump_v;
    s.y += (Real(1) - p.phi) * jump_v;
    s.log_s += p.mu_s + p.rho_j * jump_v + p.sigma_s * z;
}

template <class Real>
CONDOR_HD CONDOR_INLINE void diffuse(const SimParams<Real>& p, const StepCoefficients<Real>& c, const Uniform4& bits,
                                     PathState<Real>& s) {
    if (p.scheme == SchemeId::euler)
        diffuse_euler(p.regime[s.regime], c, bits, s);
    else
        diffuse_qe(c, bits, s);
}

// Years to the next SVCJ jump at intensity lambda: an exponential draw.
template <class Real>
CONDOR_HD CONDOR_INLINE Real jump_wait_years(const Uniform4& jump_bits, Real lambda) {
    return log_positive(uniform_open<Real>(jump_bits.u[0])) / -lambda;
}

// One sub-step of dt years. Jump arrival times are exact: exponential
// inter-arrival times cut the step into jump-free intervals, each diffused with
// its own draw. A step without a jump (the common case) costs one comparison
// and uses diffusion draw 0, exactly as with lambda = 0, so turning jumps on
// leaves the diffusion of jump-free steps unchanged.
template <class Real>
CONDOR_HD inline void advance_substep(const SimParams<Real>& p, const StepCoefficients<Real>& full_step,
                                      const PathRng& rng, std::uint32_t step, PathState<Real>& s,
                                      std::uint32_t& jump_count) {
    const RegimeDynamics<Real>& dyn = p.regime[s.regime];
    if (!(dyn.lambda > Real(0))) {
        diffuse(p, full_step, rng.bits(Stream::diffusion, step, 0), s);
        return;
    }
    std::uint32_t jump_draw = 0, diffusion_draw = 0;
    Uniform4 jump_bits = rng.bits(Stream::jumps, step, jump_draw);
    Real elapsed = 0;
    for (;;) {
        const Real arrival = elapsed + jump_wait_years(jump_bits, dyn.lambda);
        if (!(arrival < p.dt)) break;
        const StepCoefficients<Real> part = make_step_coefficients(dyn, arrival - elapsed);
        diffuse(p, part, rng.bits(Stream::diffusion, step, diffusion_draw++), s);
        apply_svcj_jump(p, jump_bits, s);
        ++jump_count;
        elapsed = arrival;
        jump_bits = rng.bits(Stream::jumps, step, ++jump_draw);
    }
    if (elapsed == Real(0)) {
        diffuse(p, full_step, rng.bits(Stream::diffusion, step, 0), s);
    } else {
        const StepCoefficients<Real> rest = make_step_coefficients(dyn, p.dt - elapsed);
        diffuse(p, rest, rng.bits(Stream::diffusion, step, diffusion_draw), s);
    }
}

// Two-state Markov regime, switching at sub-step boundaries with probability
// 1 - exp(-intensity dt).
template <class Real>
CONDOR_HD CONDOR_INLINE void maybe_switch_regime(const SimParams<Real>& p, const PathRng& rng, std::uint32_t step,
                                                 PathState<Real>& s) {
    if (!p.regime_enabled) return;
    const Real u = uniform_open<Real>(rng.bits(Stream::regime, step, 0).u[0]);
    if (u < p.switch_probability[s.regime]) s.regime = 1 - s.regime;
}

// Scheduled event k on today's close: happens with its probability, then y
// jumps by a draw of its size law and ln S by a normal co-move. Counter
// (step = k) makes each event's draws its own.
template <class Real>
CONDOR_HD inline bool apply_event(const EventParams<Real>& e, const PathRng& rng, std::uint32_t k, PathState<Real>& s) {
    using std::exp;
    const Uniform4 bits = rng.bits(Stream::events, k, 0);
    if (!(uniform_open<Real>(bits.u[0]) < e.probability)) return false;
    Real z_spx, z_size;
    box_muller(uniform_open<Real>(bits.u[2]), uniform_open<Real>(bits.u[3]), z_spx, z_size);
    Real size = e.size_mean;
    if (e.size_dist == SizeDistId::exponential) size = -e.size_mean * log_positive(uniform_open<Real>(bits.u[1]));
    if (e.size_dist == SizeDistId::lognormal) size = exp(e.size_log_mu + e.size_log_sigma * z_size);
    s.y += size;
    s.log_s += e.spx_log_mean + e.spx_log_sd * z_spx;
    return true;
}

// Forced stress shock: SPX moves by a fixed amount and VIX is set to the target
// through y, solving vix_a + b_x x + b_y y = target^2. Returns false where the
// target is below what x alone implies (y is then set to 0).
template <class Real>
CONDOR_HD CONDOR_INLINE bool apply_shock(const SimParams<Real>& p, const ShockParams<Real>& k, PathState<Real>& s) {
    s.log_s += k.spx_log_move;
    const Real xp = s.x > Real(0) ? s.x : Real(0);
    const Real y_needed = (k.vix_squared - p.vix_a - p.vix_b_x * xp) / p.vix_b_y;
    s.y = y_needed > Real(0) ? y_needed : Real(0);
    return y_needed >= Real(0);
}

// A path between daily closes: its state and what it has reported so far.
template <class Real>
struct PathWalk {
    PathState<Real> s;
    PathSummary<Real> out;
    Real sum_sq_returns;
    Real previous_log_s;
    int next_event, next_shock;  // events and shocks are sorted by day
};

// The state at day 0, reported to the sink.
template <class Real, class Sink>
CONDOR_HD CONDOR_INLINE PathWalk<Real> begin_path(const SimParams<Real>& p, Sink& sink) {
    PathWalk<Real> w{};
    w.s = PathState<Real>{Real(0), p.x0, p.y0, p.initial_regime};
    const Real vix = vix_from_state(p.vix_a, p.vix_b_x, p.vix_b_y, w.s.x, w.s.y);
    w.out.max_vix = vix;
    sink.close(0, p.spot, vix, w.s.x, w.s.y);
    return w;
}

// The close of `day` after its sub-steps: today's scheduled events and forced
// shocks, then VIX, the running maximum, the squared return and the report.
template <class Real, class Sink>
CONDOR_HD CONDOR_INLINE void close_day(const SimParams<Real>& p, const PathRng& rng, int day, PathWalk<Real>& w,
                                       Sink& sink) {
    using std::exp;
    for (; w.next_event < p.event_count && p.events[w.next_event].day == day; ++w.next_event)
        w.out.events += apply_event(p.events[w.next_event], rng, std::uint32_t(w.next_event), w.s) ? 1u : 0u;
    for (; w.next_shock < p.shock_count && p.shocks[w.next_shock].day == day; ++w.next_shock)
        w.out.shocks_capped += apply_shock(p, p.shocks[w.next_shock], w.s) ? 0u : 1u;

    const Real vix = vix_from_state(p.vix_a, p.vix_b_x, p.vix_b_y, w.s.x, w.s.y);
    w.out.max_vix = vix > w.out.max_vix ? vix : w.out.max_vix;
    const Real daily_return = w.s.log_s - w.previous_log_s;
    w.sum_sq_returns += daily_return * daily_return;
    w.previous_log_s = w.s.log_s;
    sink.close(day, p.spot * exp(w.s.log_s), vix, w.s.x > Real(0) ? w.s.x : Real(0), w.s.y);
}

template <class Real>
CONDOR_HD CONDOR_INLINE PathSummary<Real> finish_path(const SimParams<Real>& p, const PathWalk<Real>& w) {
    PathSummary<Real> out = w.out;
    out.realized_vol = std::sqrt(w.sum_sq_returns * Real(kTradingDaysPerYear) / Real(p.days));
    return out;
}

// The step coefficients of a full sub-step in each regime.
template <class Real>
struct FullSteps {
    StepCoefficients<Real> regime[2];
};

template <class Real>
CONDOR_HD CONDOR_INLINE FullSteps<Real> make_full_steps(const SimParams<Real>& p) {
    return FullSteps<Real>{{make_step_coefficients(p.regime[0], p.dt), make_step_coefficients(p.regime[1], p.dt)}};
}

// Simulates path `path` over p.days trading days. The sink receives
// sink.close(day, spot, vix, x, y) for day = 0..days. The CPU's vector lanes
// (kernels/path_lanes.h) run the same pieces and give the same bits.
template <class Real, class Sink>
CONDOR_HD inline PathSummary<Real> simulate_path(const SimParams<Real>& p, std::uint64_t path, Sink& sink) {
    const PathRng rng(p.seed, path);
    const FullSteps<Real> full_step = make_full_steps(p);
    PathWalk<Real> w = begin_path(p, sink);
    std::uint32_t step = 0;
    for (int day = 1; day <= p.days; ++day) {
        for (int sub = 0; sub < p.substeps_per_day; ++sub, ++step) {
            maybe_switch_regime(p, rng, step, w.s);
            advance_substep(p, full_step.regime[w.s.regime], rng, step, w.s, w.out.jumps);
        }
        close_day(p, rng, day, w, sink);
    }
    return finish_path(p, w);
}

}  // namespace condor
