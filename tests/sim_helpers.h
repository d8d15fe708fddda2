// Test helpers: scenarios from inline TOML, and direct calls of the per-path
// function both backends run (kernels/path.h), with a sink that keeps what a
// test needs.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "host/scenario.h"
#include "host/sim_setup.h"
#include "kernels/path.h"

namespace condor::test {

// A complete scenario; tests override what they need with --set syntax.
inline const std::string& base_scenario_toml() {
    static const std::string text = R"(
[market]
spot = 100.0
rate = 0.0
dividend_yield = 0.0
[model]
sigma_x = 0.5
rho = -0.7
phi = 1.0
sigma_s = 0.0
rho_j = 0.0
[model.p]
kappa_x = 2.0
theta_x = 0.04
kappa_y = 30.0
lambda = 0.0
mu_v = 0.0
mu_s = 0.0
eta = 0.0
[model.q]
kappa_x = 2.0
theta_x = 0.04
kappa_y = 30.0
lambda = 0.0
mu_v = 0.0
mu_s = 0.0
[state]
x0 = 0.04
y0 = 0.0
[run]
days = 252
paths = 10000
seed = 42
sample_paths = 0
)";
    return text;
}

inline Scenario scenario(const std::vector<std::string>& overrides) {
    return load_scenario_text(base_scenario_toml(), "test.toml", overrides);
}

// Values of one path at the close of every day.
struct DailyPath {
    std::vector<double> spot, vix, x, y;
};

struct RecordingSink {
    DailyPath* out;
    CONDOR_HD void close(int day, double spot, double vix, double x, double y) const {
        out->spot[day] = spot;
        out->vix[day] = vix;
        out->x[day] = x;
        out->y[day] = y;
    }
};

// Simulates paths [0, n) in double precision; `visit(i, path, summary)` sees each one
// (called from several threads, each path once).
template <class Visit>
void for_each_path(const Scenario& s, std::uint32_t n, Visit visit) {
    const SimParams<double> params = make_sim_params<double>(s);
#pragma omp parallel
    {
        DailyPath path;
        for (auto* v : {&path.spot, &path.vix, &path.x, &path.y}) v->resize(s.run.days + 1);
#pragma omp for schedule(static)
        for (long long i = 0; i < (long long)n; ++i) {
            RecordingSink sink{&path};
            const PathSummary<double> summary = simulate_path(params, std::uint32_t(i), sink);
            visit(std::uint32_t(i), path, summary);
        }
    }
}

// Sample mean, its standard error, the sample variance and the standard error
// of the variance (from the fourth central moment).
struct Moments {
    double mean, se_mean, var, se_var;
};

inline Moments moments(const std::vector<double>& v) {
    const double n = double(v.size());
    double mean = 0;
    for (double a : v) mean += a;
    mean /= n;
    double m2 = 0, m4 = 0;
    for (double a : v) {
        const double d2 = (a - mean) * (a - mean);
        m2 += d2;
        m4 += d2 * d2;
    }
    m2 /= n;
    m4 /= n;
    const double var = m2 * n / (n - 1);
    return Moments{mean, std::sqrt(var / n), var, std::sqrt(std::max(m4 - m2 * m2, 0.0) / n)};
}

}  // namespace condor::test
