#include "host/price_quote.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "host/config_reader.h"
#include "host/pricing/vix_pricer.h"
#include "kernels/black_scholes.h"
#include "kernels/vix_index.h"

namespace condor {

namespace {

// Black vega at the implied vol, per 1.00 of vol; 0 where no vol exists.
double black_vega(const Quote& q) {
    if (q.implied.status != ImpliedVolStatus::ok) return 0;
    const double root_t = std::sqrt(q.request.years);
    return q.discount * black_vega_total(q.forward, q.request.strike, q.implied.vol * root_t) * root_t;
}

double vix_of_state(const Scenario& scenario, const QuoteRequest& r) {
    const VixCoefficients c = vix_coefficients(scenario.model.shared, scenario.model.q);
    return vix_from_state(c.a, c.b_x, c.b_y, r.x, r.y);
}

}  // namespace

Quote quote_spx_option(const Scenario& scenario, const QuoteRequest& r) {
    const AffineTransform model(risk_neutral_model(scenario));
    Quote q;
    q.request = r;
    const CosExpiry expiry(model, r.x, r.y, r.years);
    const OptionPrice p = price_european(expiry, model.model(), r.type, r.spot, r.strike, r.years);
    q.price = p.price;
    q.forward = p.forward;
    q.discount = p.discount;
    q.cos_terms = p.terms;
    q.cos_converged = p.converged;
    q.implied = implied_vol(r.type, p.price, p.forward, r.strike, r.years, p.discount);
    // Central difference in spot (relative bump 1e-4): the price is smooth in S.
    const double bump = 1e-4 * r.spot;
    const double up = price_european(expiry, model.model(), r.type, r.spot + bump, r.strike, r.years).price;
    const double down = price_european(expiry, model.model(), r.type, r.spot - bump, r.strike, r.years).price;
    q.delta = (up - down) / (2 * bump);
    q.vega = black_vega(q);
    q.vix = vix_of_state(scenario, r);
    return q;
}

namespace {

void check_in_domain(const char* option, double value, double lo, double hi) {
    if (value < lo || value > hi)
        throw std::invalid_argument(std::string(option) + ": " + format_number(value) +
                                    " is outside the table's range [" + format_number(lo) + ", " + format_number(hi) +
                                    "]; use --method exact");
}

}  // namespace

void check_spx_table_domain(const QuoteRequest& r, const SpxVolTableDomain& d) {
    check_in_domain("--years", r.years, d.tau_min_years, d.tau_max_years);
    check_in_domain("--x", r.x, 0, d.x_max);
    check_in_domain("--y", r.y, 0, d.y_max);
}

Quote quote_spx_option_from_table(const Scenario& scenario, const QuoteRequest& r, const SpxVolTable& table) {
    check_spx_table_domain(r, table.domain());
    const SpxVolTableView view = table.view();
    const double carry = scenario.market.rate - scenario.market.dividend_yield;
    const auto price_at = [&](double spot, double& forward, double& vol) {
        forward = spot * std::exp(carry * r.years);
        vol = table_implied_vol(view, r.x, r.y, r.years, std::log(r.strike / forward));
        const double total = vol * std::sqrt(r.years);
        return std::exp(-scenario.market.rate * r.years) * (r.type == OptionType::call
                                                                ? black_call(forward, r.strike, total)
                                                                : black_put(forward, r.strike, total));
    };
    Quote q;
    q.request = r;
    q.method = "table";
    double vol = 0;
    q.price = price_at(r.spot, q.forward, vol);
    q.discount = std::exp(-scenario.market.rate * r.years);
    q.implied = {vol, ImpliedVolStatus::ok};
    const double bump = 1e-4 * r.spot;
    double f_bumped = 0, v_bumped = 0;
    q.delta = (price_at(r.spot + bump, f_bumped, v_bumped) - price_at(r.spot - bump, f_bumped, v_bumped)) / (2 * bump);
    q.vega = black_vega(q);
    q.vix = vix_of_state(scenario, r);
    return q;
}

// A VIX option is an option on VIX_T; its natural forward is the VIX future of
// the same expiry, against which Black's formula defines its implied vol.
namespace {
void complete_vix_quote(const Scenario& scenario, const AffineTransform& model, Quote& q) {
    const QuoteRequest& r = q.request;
    q.discount = std::exp(-scenario.market.rate * r.years);
    q.implied = implied_vol(r.type, q.price, q.forward, r.strike, r.years, q.discount);
    if (q.implied.status == ImpliedVolStatus::ok) {
        const double call_delta = black_call_delta(q.forward, r.strike, q.implied.vol * std::sqrt(r.years));
        q.delta = q.discount * (r.type == OptionType::call ? call_delta : call_delta - 1);
    }
    q.vega = black_vega(q);
    q.vix = vix_of_state(scenario, r);
    q.vvix = vvix(model, r.x, r.y);
}
}  // namespace

Quote quote_vix_option(const Scenario& scenario, const QuoteRequest& r) {
    const AffineTransform model(risk_neutral_model(scenario));
    Quote q;
    q.request = r;
    q.forward = vix_future(model, r.x, r.y, r.years);
    const double undiscounted = r.type == OptionType::call ? vix_call_undiscounted(model, r.x, r.y, r.years, r.strike)
                                                           : vix_put_undiscounted(model, r.x, r.y, r.years, r.strike);
    q.price = std::exp(-scenario.market.rate * r.years) * undiscounted;
    complete_vix_quote(scenario, model, q);
    return q;
}

void check_vix_table_domain(const QuoteRequest& r, const VixOptionTableDomain& d) {
    check_in_domain("--years", r.years, d.states.tau_min_years, d.states.tau_max_years);
    check_in_domain("--x", r.x, 0, d.states.x_max);
    check_in_domain("--y", r.y, 0, d.states.y_max);
}

Quote quote_vix_option_from_table(const Scenario& scenario, const QuoteRequest& r, const VixOptionTable& table) {
    check_vix_table_domain(r, table.domain());
    const VixOptionMark mark = table_vix_option(table.view(), r.x, r.y, r.years, r.strike);
    Quote q;
    q.request = r;
    q.method = "table";
    q.forward = mark.future;
    q.price = std::exp(-scenario.market.rate * r.years) * (r.type == OptionType::call ? mark.call : mark.put);
    complete_vix_quote(scenario, AffineTransform(risk_neutral_model(scenario)), q);
    return q;
}

VixFutureQuote vix_future_quote(const Scenario& scenario, const QuoteRequest& r) {
    VixFutureQuote q;
    q.request = r;
    const AffineTransform model(risk_neutral_model(scenario));
    q.price = vix_future(model, r.x, r.y, r.years);
    q.vix = vix_of_state(scenario, r);
    q.vvix = vvix(model, r.x, r.y);
    return q;
}

namespace {
// JSON numbers: shortest round-trip form; JSON has no NaN, so it becomes null.
std::string json_number(double v) { return std::isfinite(v) ? format_number(v) : "null"; }
}  // namespace

void print_quote_json(std::ostream& os, const Quote& q, const std::string& instrument) {
    const QuoteRequest& r = q.request;
    os << "{\"instrument\": \"" << instrument << "\", \"method\": \"" << q.method << "\""
       << ", \"strike\": " << json_number(r.strike) << ", \"years\": " << json_number(r.years)
       << ", \"spot\": " << json_number(r.spot) << ", \"x\": " << json_number(r.x) << ", \"y\": " << json_number(r.y)
       << ", \"price\": " << json_number(q.price) << ", \"implied_vol\": " << json_number(q.implied.vol)
       << ", \"implied_vol_status\": \"" << name(q.implied.status) << "\""
       << ", \"delta\": " << json_number(q.delta) << ", \"vega\": " << json_number(q.vega)
       << ", \"vix\": " << json_number(q.vix) << ", \"forward\": " << json_number(q.forward)
       << ", \"discount\": " << json_number(q.discount);
    if (std::isfinite(q.vvix))
        os << ", \"vvix\": " << json_number(q.vvix);
    else
        os << ", \"cos_terms\": " << q.cos_terms << ", \"cos_converged\": " << (q.cos_converged ? "true" : "false");
    os << "}\n";
}

void print_quote_text(std::ostream& os, const Quote& q, const std::string& instrument) {
    char line[512];
    const QuoteRequest& r = q.request;
    std::snprintf(line, sizeof line,
                  "%s K=%g T=%gy: price %.6f  implied vol %s  delta %.4f  vega %.4f  (spot %g, forward %.4f, "
                  "VIX %.2f, x %g, y %g)\n",
                  instrument.c_str(), r.strike, r.years, q.price,
                  q.implied.status == ImpliedVolStatus::ok ? (std::to_string(100 * q.implied.vol) + "%").c_str()
                                                           : describe(q.implied.status),
                  q.delta, q.vega, r.spot, q.forward, q.vix, r.x, r.y);
    os << line;
}

}  // namespace condor

namespace condor {

void print_vix_future(std::ostream& os, const VixFutureQuote& q, bool json) {
    const QuoteRequest& r = q.request;
    if (json) {
        os << "{\"instrument\": \"vix-future\", \"method\": \"exact\", \"years\": " << json_number(r.years)
           << ", \"x\": " << json_number(r.x) << ", \"y\": " << json_number(r.y)
           << ", \"price\": " << json_number(q.price) << ", \"vix\": " << json_number(q.vix)
           << ", \"vvix\": " << json_number(q.vvix) << "}\n";
        return;
    }
    char line[256];
    std::snprintf(line, sizeof line, "vix-future T=%gy: price %.4f  (VIX %.2f, VVIX %.2f, x %g, y %g)\n", r.years,
                  q.price, q.vix, q.vvix, r.x, r.y);
    os << line;
}

}  // namespace condor
