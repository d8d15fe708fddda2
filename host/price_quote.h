// `condorsim price`: one instrument priced under the scenario's Q model, with
// the quantities a trader checks (implied vol, delta, vega, VIX, forward).
#pragma once

#include <limits>
#include <ostream>
#include <string>

#include "host/pricing/cos_pricer.h"
#include "host/pricing/implied_vol.h"
#include "host/pricing/spx_vol_table.h"
#include "host/pricing/vix_option_table.h"
#include "host/scenario.h"

namespace condor {

struct QuoteRequest {
    OptionType type = OptionType::call;
    double strike = 0;    // index points
    double years = 0;     // time to expiry
    double spot = 0;      // index points
    double x = 0, y = 0;  // variance state, annual variance
};

struct Quote {
    QuoteRequest request;
    double price = 0;    // present value: index points (SPX) or VIX points (VIX options)
    ImpliedVol implied;  // Black implied vol of `price`
    double delta = 0;    // SPX: dPrice/dSpot, variance state held; VIX: dPrice/dForward (Black)
    double vega = 0;     // Black vega at the implied vol: dPrice/dsigma, index points per 1.00 of vol
    double vix = 0;      // VIX index of the state (x, y), points
    double vvix = std::numeric_limits<double>::quiet_NaN();  // VIX options only: VVIX of the state, points
    double forward = 0;                                      // SPX: S e^{(r - q) T}; VIX options: the VIX future
    double discount = 0;                                     // e^{-r T}
    int cos_terms = 0;
    bool cos_converged = true;
    const char* method = "exact";  // or "table"
};

Quote quote_spx_option(const Scenario& scenario, const QuoteRequest& request);
// The same from the kernels' implied-vol table (Black on the interpolated vol);
// throws std::invalid_argument if the request lies outside the table's domain.
void check_spx_table_domain(const QuoteRequest& request, const SpxVolTableDomain& domain);
Quote quote_spx_option_from_table(const Scenario& scenario, const QuoteRequest& request, const SpxVolTable& table);
// European VIX option; forward = the VIX future, delta = dPrice/dForward (Black at the implied vol).
Quote quote_vix_option(const Scenario& scenario, const QuoteRequest& request);
// The same from the kernels' VIX option table; implied vol, delta and vega as above
// (Black on the VIX future, not the table's shifted vol).
void check_vix_table_domain(const QuoteRequest& request, const VixOptionTableDomain& domain);
Quote quote_vix_option_from_table(const Scenario& scenario, const QuoteRequest& request, const VixOptionTable& table);

struct VixFutureQuote {
    QuoteRequest request;  // strike and spot unused
    double price = 0;      // E_Q[VIX_T], VIX points
    double vix = 0;        // VIX index of the state now
    double vvix = 0;       // VVIX of the state now
};

VixFutureQuote vix_future_quote(const Scenario& scenario, const QuoteRequest& request);
void print_vix_future(std::ostream& os, const VixFutureQuote& quote, bool json);

void print_quote_json(std::ostream& os, const Quote& quote, const std::string& instrument);
void print_quote_text(std::ostream& os, const Quote& quote, const std::string& instrument);

}  // namespace condor
