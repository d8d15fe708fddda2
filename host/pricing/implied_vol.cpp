#include "host/pricing/implied_vol.h"

#include <cmath>
#include <limits>

#include "kernels/black_scholes.h"

namespace condor {

const char* describe(ImpliedVolStatus status) {
    switch (status) {
        case ImpliedVolStatus::ok:
            return "ok";
        case ImpliedVolStatus::below_intrinsic:
            return "price at or below intrinsic value: no implied vol";
        case ImpliedVolStatus::above_maximum:
            return "price at or above the no-arbitrage maximum: no implied vol";
        case ImpliedVolStatus::too_small:
            return "price too small to resolve an implied vol";
    }
    return "?";
}

const char* name(ImpliedVolStatus status) {
    switch (status) {
        case ImpliedVolStatus::ok:
            return "ok";
        case ImpliedVolStatus::below_intrinsic:
            return "below_intrinsic";
        case ImpliedVolStatus::above_maximum:
            return "above_maximum";
        case ImpliedVolStatus::too_small:
            return "too_small";
    }
    return "?";
}

// The undiscounted out-of-the-money price p(s) = black_otm(s) is increasing in
// the total vol s = sigma sqrt(tau), from 0 at s = 0 to min(F, K) as s -> inf.
// Newton on f(s) = ln p(s) - ln target, f'(s) = vega / p, is nearly linear in the
// wings (ln p ~ -k^2 / (2 s^2)), where Newton on the price itself stalls; every
// step is kept inside a bracket that bisection shrinks when Newton overshoots.
ImpliedVol implied_vol(OptionType type, double price, double forward, double strike, double tau, double discount,
                       double guess_vol) {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    const double undiscounted = price / discount;
    const bool call_is_otm = strike >= forward;
    // The OTM option's price from parity: C - P = F - K (undiscounted).
    double otm = undiscounted;
    if (type == OptionType::call && !call_is_otm) otm = undiscounted - (forward - strike);
    if (type == OptionType::put && call_is_otm) otm = undiscounted - (strike - forward);
    const double maximum = call_is_otm ? forward : strike;
    if (!(otm > 0)) return {nan, ImpliedVolStatus::below_intrinsic};
    if (otm >= maximum) return {nan, ImpliedVolStatus::above_maximum};
    if (otm < 1e-300 * forward) return {nan, ImpliedVolStatus::too_small};

    const auto otm_price = [&](double s) {
        return call_is_otm ? black_call(forward, strike, s) : black_put(forward, strike, s);
    };
    const double log_target = std::log(otm);
    double lo = 0, hi = 1;
    while (otm_price(hi) < otm && hi < 1e3) hi *= 2;  // total vol 1000 prices at the maximum
    // Start at the at-the-money approximation p ~ F s / sqrt(2 pi) (Brenner &
    // Subrahmanyam 1988), kept in the bracket.
    double s = guess_vol > 0 ? guess_vol * std::sqrt(tau) : otm / forward * 2.5066282746310002;
    if (!(s > lo && s < hi)) s = 0.5 * (lo + hi);
    for (int iteration = 0; iteration < 200; ++iteration) {
        const double p = otm_price(s);
        if (p > otm)
            hi = s;
        else
            lo = s;
        const double vega = black_vega_total(forward, strike, s);
        double next = (p > 0 && vega > 0) ? s - (std::log(p) - log_target) * p / vega : 0.5 * (lo + hi);
        if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
        if (std::fabs(next - s) <= 1e-15 * s || hi - lo <= 1e-15 * hi) {
            s = next;
            break;
        }
        s = next;
    }
    return {s / std::sqrt(tau), ImpliedVolStatus::ok};
}

}  // namespace condor
