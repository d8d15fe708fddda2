// `condorsim calibrate`: the simulated method of moments (McFadden 1989; Duffie
// & Singleton 1993) fitting the model's P parameters and its Q variance level to
// the stylised facts of real VIX and SPX closes. docs/calibration.md documents
// the moments, the weights, the optimiser and the standard errors.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "host/calibration/dense_matrix.h"
#include "host/calibration/market_data.h"
#include "host/calibration/model_moments.h"
#include "host/scenario.h"

namespace condor {

// A parameter the calibration can fit: its scenario key and the range it is
// kept in (the optimiser works in an unbounded coordinate u, theta = lower +
// (upper - lower) logistic(u), on a log scale where log_scale).
struct FitParameter {
    std::string key;
    double lower = 0, upper = 0;
    bool log_scale = false;
    bool by_default = true;  // fitted when no --fit list is given
};

// Every fittable parameter, in report order.
const std::vector<FitParameter>& fittable_parameters();

// The scenario field behind `key` (one of fittable_parameters()).
double& parameter_field(Scenario& s, const std::string& key);

// The risk-neutral parameters the calibration does not fit, tied to P (docs/calibration.md):
// mu_v equal under Q and P; mu_s^Q keeps its offset from mu_s^P in `reference`;
// kappa_y^Q = kappa_y and lambda^Q = lambda unless model.q.kappa_y or
// model.q.lambda is among `fitted`; and kappa_x^Q theta_x^Q = kappa_x theta_x
// (Pan 2002) unless model.q.kappa_x is.
void tie_risk_neutral(Scenario& s, const Scenario& reference, const std::vector<FitParameter>& fitted);

struct CalibrationSettings {
    HistorySettings histories;
    std::vector<std::string> parameters;  // keys to fit; empty = those fitted by default
    int max_iterations = 30;              // Levenberg-Marquardt iterations per descent
    int starts = 4;                       // first-stage descents: the start and starts - 1 points around it
    double jacobian_step = 0.05;          // forward-difference step in u
    std::function<void(const std::string&)> log;  // progress lines (may be empty)
};

struct CalibrationResult {
    Scenario fitted;
    std::vector<FitParameter> parameters;
    std::vector<double> start, value, se;  // natural units; se from the sandwich formula
    DenseMatrix covariance;                // of the estimates, natural units
    MomentVector data{}, model{}, model_se{};  // model_se: Monte Carlo standard error of `model`
    MomentVector sampling_sd{};                // one data-length history's sd of each moment (the weights' scale)
    MomentVector weight{};                     // 1 / sampling_sd^2 at the first-stage fit; 0 = not used
    double objective = 0;                      // sum of weight (model - data)^2
    int iterations = 0, evaluations = 0, histories = 0;
    double seconds = 0;
    std::size_t days = 0;
};

// Throws std::invalid_argument for unknown parameter keys or a start outside
// their ranges.
CalibrationResult calibrate(const Scenario& start, const MarketHistory& data, const CalibrationSettings& settings);

}  // namespace condor
