#include "host/calibration/model_moments.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "host/sim_setup.h"
#include "kernels/path.h"
#include "kernels/path_lanes.h"

namespace condor {

namespace {

// Keeps the closes of days burn_in .. burn_in + days - 1.
struct HistorySink {
    int burn_in;
    std::size_t days;
    double* vix;
    double* spx;
    void close(int day, double spot, double v, double, double) const {
        const long long at = (long long)day - burn_in;
        if (at < 0 || at >= (long long)days) return;
        vix[at] = v;
        spx[at] = spot;
    }
};

}  // namespace

Scenario calibration_scenario(const Scenario& s) {
    Scenario c = s.without_strategies();
    c.events.clear();
    c.shocks.clear();
    c.regime = RegimeParams{};
    c.run.measure = Measure::physical;
    c.run.scheme = Scheme::qe;
    c.run.substeps_per_day = 1;
    const MeasureParams& p = s.model.p;
    const double phi = s.model.shared.phi, jump_rate = p.lambda * p.mu_v;
    c.state.x0 = p.theta_x + phi * jump_rate / p.kappa_x;
    c.state.y0 = p.kappa_y > 0 ? (1 - phi) * jump_rate / p.kappa_y : 0.0;
    return c;
}

namespace {

// The kernels' parameters for histories of burn_in + days closes (0 .. days + burn_in - 1).
SimParams<double> history_params(const Scenario& calibration, std::size_t days, int burn_in_days) {
    Scenario c = calibration;
    c.run.days = int(days) + burn_in_days - 1;
    return make_sim_params<double>(c);
}

void simulate_history(const SimParams<double>& params, std::size_t days, int burn_in_days, std::uint32_t path,
                      double* vix, double* spx) {
    HistorySink sink{burn_in_days, days, vix, spx};
    simulate_path(params, path, sink);
}

// The stylised facts of histories 0 .. n-1 on the CPU's vector lanes
// (kernels/path_lanes.h), whole vectors only; returns n (0 without lanes). Each
// lane is bit for bit the history simulate_history gives.
int simulate_moments_on_lanes(const SimParams<double>& params, std::size_t days, const HistorySettings& settings,
                              int threads, ModelMoments& out) {
#if defined(CONDOR_HAVE_LANES)
    using Lanes = PathLanes<double>;
    constexpr int width = Lanes::width;
    if (!Lanes::applies(params)) return 0;
    const int groups = settings.histories / width;
#pragma omp parallel num_threads(threads)
    {
        std::vector<double> vix(days * width), spx(days * width);
#pragma omp for schedule(static)
        for (int g = 0; g < groups; ++g) {
            PathSummary<double> unused[width];
            const auto sink_of = [&](int lane) {
                return HistorySink{settings.burn_in_days, days, vix.data() + lane * days, spx.data() + lane * days};
            };
            Lanes(params, std::uint64_t(g) * width).simulate(sink_of, unused);
            for (int lane = 0; lane < width; ++lane)
                out.per_history[g * width + lane] =
                    stylised_facts(vix.data() + lane * days, spx.data() + lane * days, days);
        }
    }
    return groups * width;
#else
    (void)params, (void)days, (void)settings, (void)threads, (void)out;
    return 0;
#endif
}

}  // namespace

void simulate_history(const Scenario& calibration, std::size_t days, int burn_in_days, std::uint32_t path, double* vix,
                      double* spx) {
    simulate_history(history_params(calibration, days, burn_in_days), days, burn_in_days, path, vix, spx);
}

ModelMoments simulate_moments(const Scenario& s, std::size_t days, const HistorySettings& settings) {
    if (settings.histories < 2) throw std::invalid_argument("simulate_moments: at least 2 histories are needed");
    Scenario c = calibration_scenario(s);
    c.run.seed = settings.seed;
    const SimParams<double> params = history_params(c, days, settings.burn_in_days);  // once, shared by all histories
    ModelMoments out;
    out.per_history.resize(settings.histories);
    const int threads = settings.threads > 0 ? settings.threads : omp_get_num_procs();
    const int vector_histories = simulate_moments_on_lanes(params, days, settings, threads, out);
#pragma omp parallel num_threads(threads)
    {
        std::vector<double> vix(days), spx(days);
#pragma omp for schedule(static)
        for (int h = vector_histories; h < settings.histories; ++h) {
            simulate_history(params, days, settings.burn_in_days, std::uint32_t(h), vix.data(), spx.data());
            out.per_history[h] = stylised_facts(vix.data(), spx.data(), days);
        }
    }
    for (int m = 0; m < kMomentCount; ++m) {
        double sum = 0;
        int n = 0;
        for (const MomentVector& h : out.per_history)
            if (std::isfinite(h[m])) sum += h[m], ++n;
        out.mean[m] = n > 0 ? sum / n : std::nan("");
        double squares = 0;
        for (const MomentVector& h : out.per_history)
            if (std::isfinite(h[m])) squares += (h[m] - out.mean[m]) * (h[m] - out.mean[m]);
        out.sd[m] = n > 1 ? std::sqrt(squares / (n - 1)) : std::nan("");
    }
    return out;
}

}  // namespace condor
