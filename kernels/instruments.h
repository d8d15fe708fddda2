// Marks of the traded instruments at a daily close (DESIGN §4-5): SPX options
// from the implied-vol table, VIX options and futures from the VIX tables,
// their costs, and the strikes a rule picks. Prices are in index points per
// unit; the contract multipliers turn them into dollars.
#pragma once

#include <cmath>

#include "kernels/black_scholes.h"
#include "kernels/platform.h"
#include "kernels/strategy_params.h"

namespace condor {

inline constexpr double kSpxMultiplier = 100;  // dollars per SPX index point
inline constexpr double kVixOptionMultiplier = 100;
inline constexpr double kVixFutureMultiplier = 1000;
inline constexpr double kVixStrikeStep = 1;  // points

// The state of the market at one close.
struct MarketState {
    double spot, vix, x, y;
};

struct OptionMark {
    double price;  // discounted, points
    double delta;  // dPrice/dSpot
};

// What the SPX options of one expiry share at one close: the forward, the
// discount factors and the table's state coordinates (computed once for the
// four legs of a condor, or for every strike a delta search tries).
struct SpxExpiry {
    double tau_years;
    double forward;   // S e^{(r - q) tau}
    double discount;  // e^{-r tau}
    double carry;     // e^{-q tau} = dF/dS * discount
    SpxExpiryState table;
};

CONDOR_HD inline SpxExpiry spx_expiry(const StrategyRunParams& p, const MarketState& m, double tau_years) {
    SpxExpiry e{};
    e.tau_years = tau_years;
    if (!(tau_years > 0)) return e;  // expired: only the intrinsic value is used
    e.forward = m.spot * exp((p.rate - p.dividend_yield) * tau_years);
    e.discount = exp(-p.rate * tau_years);
    e.carry = exp(-p.dividend_yield * tau_years);
    e.table = spx_expiry_state(p.spx_table, m.x, m.y, tau_years);
    return e;
}

// European SPX option at the close: Black (1976) on the forward with implied
// vol `vol` (per sqrt year), discounted at r. N(d1) serves both the call's
// price and the delta.
CONDOR_HD inline OptionMark black_spx_option(const SpxExpiry& e, bool call, double strike, double vol) {
    const double total_vol = vol * e.table.sqrt_tau;
    if (!(total_vol > 0)) {
        const double call_delta = e.carry * black_call_delta(e.forward, strike, total_vol);
        const double price = call ? black_call(e.forward, strike, total_vol) : black_put(e.forward, strike, total_vol);
        return {e.discount * price, call ? call_delta : call_delta - e.carry};
    }
    const double d1 = log(e.forward / strike) / total_vol + 0.5 * total_vol;
    const double n_d1 = normal_cdf(d1);
    const double call_delta = e.carry * n_d1;
    if (call) return {e.discount * (e.forward * n_d1 - strike * normal_cdf(d1 - total_vol)), call_delta};
    return {e.discount * (strike * normal_cdf(total_vol - d1) - e.forward * normal_cdf(-d1)), call_delta - e.carry};
}

// An option past its expiry (tau <= 0): intrinsic value.
CONDOR_HD inline OptionMark expired_spx_option(bool call, const MarketState& m, double strike) {
    const double intrinsic = call ? m.spot - strike : strike - m.spot;
    const bool in_the_money = intrinsic > 0;
    return {in_the_money ? intrinsic : 0.0, in_the_money ? (call ? 1.0 : -1.0) : 0.0};
}

// dPrice/dSpot of a European SPX option at implied vol `vol`: e^{-q tau} N(d1)
// for a call, e^{-q tau} (N(d1) - 1) for a put (Black 1976 on the forward
// F = S e^{(r - q) tau}), with black_spx_option's bits. One N(d1), where a full
// mark needs two or three.
CONDOR_HD inline double black_spx_delta(const SpxExpiry& e, bool call, double strike, double vol) {
    const double total_vol = vol * e.table.sqrt_tau;
    const double call_delta = total_vol > 0
                                  ? e.carry * normal_cdf(log(e.forward / strike) / total_vol + 0.5 * total_vol)
                                  : e.carry * black_call_delta(e.forward, strike, total_vol);
    return call ? call_delta : call_delta - e.carry;
}

// The delta of an SPX option whose vol comes from this expiry's contracted
// smile (spx_smile: the table's vol, bit for bit), for the entry's delta
// search, which tries a dozen strikes per leg; intrinsic at expiry (tau <= 0).
CONDOR_HD inline double spx_delta(const StrategyRunParams& p, const SpxExpiry& e, const SpxSmile& smile, bool call,
                                  const MarketState& m, double strike) {
    if (!(e.tau_years > 0)) return expired_spx_option(call, m, strike).delta;
    const double vol = smile_implied_vol(p.spx_table, e.table, smile, log(strike / e.forward));
    return black_spx_delta(e, call, strike, vol);
}

// Half-spread of an option leg: a tick floor or a fraction of the mid, widening
// in proportion to VIX above the reference level.
CONDOR_HD inline double option_half_spread(double mid, double min_points, double fraction, double vix,
                                           double reference_vix) {
    const double base = fraction * mid > min_points ? fraction * mid : min_points;
    const double widening = vix > reference_vix ? vix / reference_vix : 1.0;
    return base * widening;
}

// The four strikes of an iron condor, long put < short put <= short call < long call.
struct CondorStrikes {
    double long_put, short_put, short_call, long_call;
};

struct CondorMark {
    double value;        // cost to close at mid: P(Ks) - P(Kl) + C(Ks) - C(Kl), points
    double half_spread;  // sum over the four legs, points
    double short_put_delta, short_call_delta;
};

// The four legs share the expiry and the table's outer stencils, so their vols
// come from one contraction (table_implied_vols: table_implied_vol's bits).
CONDOR_HD CONDOR_OUTLINE CondorMark mark_condor(const StrategyRunParams& p, const CostParams& costs,
                                                const CondorStrikes& k, const MarketState& m, double tau_years) {
    const SpxExpiry e = spx_expiry(p, m, tau_years);
    const double strikes[4] = {k.short_put, k.long_put, k.short_call, k.long_call};
    const bool calls[4] = {false, false, true, true};
    OptionMark legs[4];
    if (!(e.tau_years > 0)) {
        for (int leg = 0; leg < 4; ++leg) legs[leg] = expired_spx_option(calls[leg], m, strikes[leg]);
    } else {
        double log_moneyness[4], vols[4];
        CONDOR_GPU_ROLLED
        for (int leg = 0; leg < 4; ++leg) log_moneyness[leg] = log(strikes[leg] / e.forward);
        table_implied_vols<4>(p.spx_table, e.table, log_moneyness, vols);
        CONDOR_GPU_ROLLED
        for (int leg = 0; leg < 4; ++leg) legs[leg] = black_spx_option(e, calls[leg], strikes[leg], vols[leg]);
    }
    const OptionMark &sp = legs[0], &lp = legs[1], &sc = legs[2], &lc = legs[3];
    CondorMark out;
    out.value = sp.price - lp.price + sc.price - lc.price;
    out.half_spread = 0;
    CONDOR_GPU_ROLLED
    for (int leg = 0; leg < 4; ++leg)
        out.half_spread += option_half_spread(legs[leg].price, costs.spx_half_spread_min,
                                              costs.spx_half_spread_fraction, m.vix, costs.reference_vix);
    out.short_put_delta = sp.delta;
    out.short_call_delta = sc.delta;
    return out;
}

// The grid strike whose |delta| is closest to `target`: |delta| is monotone in
// the strike (puts increase, calls decrease), so a bisection over grid indices
// brackets the target, then the nearer of the two brackets wins.
CONDOR_HD CONDOR_OUTLINE double strike_for_delta(const StrategyRunParams& p, const SpxExpiry& e, const SpxSmile& smile,
                                                 bool call, const MarketState& m, double target, double step) {
    auto abs_delta = [&](long k) { return fabs(spx_delta(p, e, smile, call, m, double(k) * step)); };
    // Grid indices from one step to 4x spot: |delta| spans (0, 1) well inside for any tradable expiry.
    long lo = 1, hi = long(4 * m.spot / step) + 1;
    // Invariant (puts): |delta(lo)| <= target < |delta(hi)|; calls mirrored.
    while (hi - lo > 1) {
        const long mid = (lo + hi) / 2;
        const bool below = abs_delta(mid) <= target;
        if (below == !call)
            lo = mid;
        else
            hi = mid;
    }
    const double d_lo = fabs(abs_delta(lo) - target), d_hi = fabs(abs_delta(hi) - target);
    return double(d_lo <= d_hi ? lo : hi) * step;
}

// Strikes at entry: shorts by delta; wings by delta or at a fixed width, at
// least one grid step beyond the shorts. The four searches share the expiry
// and its smile, contracted once.
CONDOR_HD CONDOR_OUTLINE CondorStrikes choose_condor_strikes(const StrategyRunParams& p, const StrategyParams& s,
                                                             const MarketState& m, double tau_years) {
    const SpxExpiry e = spx_expiry(p, m, tau_years);
    SpxSmile smile;
    if (e.tau_years > 0) spx_smile(p.spx_table, e.table, smile);  // an expired option is marked at intrinsic
    CondorStrikes k;
    k.short_put = strike_for_delta(p, e, smile, false, m, s.short_delta, s.strike_step);
    k.short_call = strike_for_delta(p, e, smile, true, m, s.short_delta, s.strike_step);
    if (k.short_call < k.short_put) k.short_call = k.short_put;
    if (s.long_delta > 0) {
        k.long_put = strike_for_delta(p, e, smile, false, m, s.long_delta, s.strike_step);
        k.long_call = strike_for_delta(p, e, smile, true, m, s.long_delta, s.strike_step);
    } else {
        k.long_put = k.short_put - s.wing_width;
        k.long_call = k.short_call + s.wing_width;
    }
    if (k.long_put > k.short_put - s.strike_step) k.long_put = k.short_put - s.strike_step;
    if (k.long_call < k.short_call + s.strike_step) k.long_call = k.short_call + s.strike_step;
    return k;
}

// ---- VIX instruments ---------------------------------------------------------------

// A hedge leg's strikes (the spread's upper strike is unused for a call or a future).
struct HedgeStrikes {
    double lower, upper;
};

struct HedgeMark {
    double value;        // points per unit: call, call spread, or the future's price
    double half_spread;  // points per unit
};

CONDOR_HD CONDOR_OUTLINE double vix_call(const StrategyRunParams& p, const MarketState& m, double strike,
                                         double tau_years) {
    if (!(tau_years > 0)) return m.vix > strike ? m.vix - strike : 0.0;
    return exp(-p.rate * tau_years) * table_vix_option(p.vix_table, m.x, m.y, tau_years, strike).call;
}

CONDOR_HD CONDOR_OUTLINE double vix_future(const StrategyRunParams& p, const MarketState& m, double tau_years) {
    if (!(tau_years > 0)) return m.vix;
    return table_vix_future(p.vix_table.future, m.x, m.y, tau_years);
}

CONDOR_HD CONDOR_OUTLINE HedgeMark mark_hedge(const StrategyRunParams& p, const CostParams& c,
                                              HedgeInstrument instrument, const HedgeStrikes& k, const MarketState& m,
                                              double tau_years) {
    if (instrument == HedgeInstrument::vix_future) return {vix_future(p, m, tau_years), c.future_half_spread};
    const double lower = vix_call(p, m, k.lower, tau_years);
    double half_spread =
        option_half_spread(lower, c.vix_half_spread_min, c.vix_half_spread_fraction, m.vix, c.reference_vix);
    if (instrument == HedgeInstrument::vix_call) return {lower, half_spread};
    const double upper = vix_call(p, m, k.upper, tau_years);
    half_spread += option_half_spread(upper, c.vix_half_spread_min, c.vix_half_spread_fraction, m.vix, c.reference_vix);
    return {lower - upper, half_spread};
}

CONDOR_HD inline double hedge_multiplier(HedgeInstrument instrument) {
    return instrument == HedgeInstrument::vix_future ? kVixFutureMultiplier : kVixOptionMultiplier;
}

CONDOR_HD inline int hedge_legs(HedgeInstrument instrument) {
    return instrument == HedgeInstrument::vix_call_spread ? 2 : 1;
}

// dC/dF of a VIX call with the shape of the law fixed is P(VIX_T > K) = -dC/dK
// (the table's law, kernels/vix_option_table.h), by a central difference.
CONDOR_HD inline double vix_call_delta(const StrategyRunParams& p, const MarketState& m, double strike,
                                       double tau_years) {
    const double h = 0.25;
    return (vix_call(p, m, strike - h, tau_years) - vix_call(p, m, strike + h, tau_years)) / (2 * h) *
           exp(p.rate * tau_years);
}

// A strike on the 1-point VIX grid: at a moneyness to the VIX future, or the
// call strike whose delta is closest to the target (delta falls with K).
CONDOR_HD CONDOR_OUTLINE double vix_strike(const StrategyRunParams& p, const MarketState& m, double tau_years,
                                           StrikeRule rule, double param) {
    const double future = vix_future(p, m, tau_years);
    if (rule == StrikeRule::moneyness) {
        const double k = floor(param * future / kVixStrikeStep + 0.5) * kVixStrikeStep;
        return k > kVixStrikeStep ? k : kVixStrikeStep;
    }
    // Scan up from half the future (deep in the money) to the first strike whose delta is below the target.
    double k = floor(0.5 * future / kVixStrikeStep) * kVixStrikeStep;
    if (k < kVixStrikeStep) k = kVixStrikeStep;
    for (int guard = 0; guard < 1000 && vix_call_delta(p, m, k + kVixStrikeStep, tau_years) >= param; ++guard)
        k += kVixStrikeStep;
    const double here = fabs(vix_call_delta(p, m, k, tau_years) - param);
    const double next = fabs(vix_call_delta(p, m, k + kVixStrikeStep, tau_years) - param);
    return next < here ? k + kVixStrikeStep : k;
}

// The state with y raised so that spot VIX rises by `points`: VIX^2 / 100^2 =
// a + b_x x + b_y y (vix_index.h), so dy = ((VIX + points)^2 - VIX^2) / (100^2 b_y).
// The VIX sensitivity of every position is measured by this bump of the spike
// factor, the direction the hedge is meant for (DESIGN §5: bump v so VIX rises one point).
CONDOR_HD inline MarketState bump_vix(const StrategyRunParams& p, const MarketState& m, double points) {
    MarketState bumped = m;
    const double vix_after = m.vix + points;
    bumped.y = m.y + (vix_after * vix_after - m.vix * m.vix) / (1e4 * p.vix30.b_y);
    bumped.vix = vix_after;
    return bumped;
}

}  // namespace condor
