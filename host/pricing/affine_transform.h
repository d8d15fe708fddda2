// The model's affine transform under Q (Duffie, Pan & Singleton 2000):
//   E_Q[exp(u ln(S_T/S_0) + w_x x_T + w_y y_T) | x_0, y_0] = exp(A + B_x x_0 + B_y y_0)
// for complex u, w_x, w_y. With u = i omega it is the characteristic function of
// the log price (SPX options); with u = 0 it is the Laplace transform of the
// variance state at T (VIX futures and options, VIX_T^2 = a + b_x x_T + b_y y_T).
#pragma once

#include <complex>
#include <optional>

#include "host/pricing/gauss_legendre.h"
#include "host/scenario.h"
#include "kernels/model_params.h"

namespace condor {

using Complex = std::complex<double>;

// Everything a Q price depends on besides the state and the expiry.
struct RiskNeutralModel {
    SharedParams shared;
    MeasureParams q;
    double rate = 0;            // per year, continuously compounded
    double dividend_yield = 0;  // per year, continuously compounded
};

RiskNeutralModel risk_neutral_model(const Scenario& scenario);

struct AffineExponent {
    Complex a, b_x, b_y;
    Complex log_value(double x0, double y0) const { return a + b_x * x0 + b_y * y0; }
};

class AffineTransform {
public:
    explicit AffineTransform(const RiskNeutralModel& model);

    // A, B_x, B_y at time to expiry tau (years) for the terminal exponents u, w_x, w_y.
    AffineExponent exponent(Complex u, Complex w_x, Complex w_y, double tau_years) const;

    // E_Q[exp(u Y)] for Y = ln(S_T / F_T), F_T = S_0 e^{(r - q) T} the forward:
    // the characteristic function of log forward-moneyness at u = i omega.
    Complex log_moneyness_transform(Complex u, double x0, double y0, double tau_years) const;

    // ln E_Q[exp(u ln(S_T/S_0) + w_x x_T + w_y y_T)] for real arguments; empty
    // where it is infinite (moment explosion before tau, or a diverging jump transform).
    std::optional<double> real_log_transform(double u, double w_x, double w_y, double x0, double y0,
                                             double tau_years) const;

    // ln E_Q[exp(h Y)] for real h, Y = ln(S_T / F_T); empty where the moment is
    // infinite (moment explosion before tau, or a jump transform that diverges).
    // The COS pricer bounds the tails of Y with it (Chernoff).
    std::optional<double> log_moneyness_mgf(double h, double x0, double y0, double tau_years) const;

    const RiskNeutralModel& model() const { return model_; }

private:
    Complex jump_integral(Complex u, Complex w_x, Complex w_y, double tau_years) const;

    RiskNeutralModel model_;
    double mean_price_jump_;  // mbar = E_Q[e^{J_S} - 1]
    QuadratureRule rule_;
};

}  // namespace condor
