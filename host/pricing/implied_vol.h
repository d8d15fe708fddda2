// Black–Scholes implied volatility from a European option price.
#pragma once

#include "host/pricing/cos_pricer.h"

namespace condor {

enum class ImpliedVolStatus {
    ok,
    below_intrinsic,  // price <= the no-arbitrage lower bound: no vol exists
    above_maximum,    // price >= the upper bound (the forward or the strike): no vol exists
    too_small,        // price below 1e-300 of the forward: underflows, vol not resolvable
};

struct ImpliedVol {
    double vol = 0;  // per sqrt(year); NaN unless status == ok
    ImpliedVolStatus status = ImpliedVolStatus::ok;
};

// The sigma at which Black's formula on the forward reproduces `price`
// (present value; discount = e^{-r tau}). Robust in the wings: it inverts the
// out-of-the-money option (by parity) in log-price space. Where no vol exists
// it returns NaN and says why. `guess_vol` (per sqrt(year)), where the caller
// knows one, starts the search there instead of at the at-the-money
// approximation; the root is the same to the search's tolerance (1e-15).
ImpliedVol implied_vol(OptionType type, double price, double forward, double strike, double tau_years, double discount,
                       double guess_vol = 0);

const char* describe(ImpliedVolStatus status);  // a sentence, for people
const char* name(ImpliedVolStatus status);      // "ok", "below_intrinsic", ... for JSON

}  // namespace condor
