#include "host/calibration/fit_report.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "host/build_info.h"

namespace condor {

namespace {

std::string number(double v) {
    char text[64];
    std::snprintf(text, sizeof text, "%.6g", v);
    return text;
}

std::string fixed(double v, int width, int digits) {
    char text[64];
    std::snprintf(text, sizeof text, "%*.*f", width, digits, v);
    return text;
}

// Parameter k ended within 0.1% of its range of one of its bounds.
bool on_bound(const CalibrationResult& r, std::size_t k) {
    const FitParameter& f = r.parameters[k];
    const double v = r.value[k], span = f.upper - f.lower;
    return std::abs(v - f.lower) < 1e-3 * span || std::abs(v - f.upper) < 1e-3 * span;
}

// "  # fitted, se 0.012" or "  # fitted, at the bound of [lo, hi]" for a fitted key.
std::string fit_comment(const CalibrationResult& r, const std::string& key) {
    for (std::size_t k = 0; k < r.parameters.size(); ++k) {
        if (r.parameters[k].key != key) continue;
        const FitParameter& f = r.parameters[k];
        if (on_bound(r, k)) return "  # fitted, at the bound of [" + number(f.lower) + ", " + number(f.upper) + "]";
        return "  # fitted, se " + number(r.se[k]);
    }
    return "";
}

}  // namespace

std::string scenario_fragment(const CalibrationResult& r, const CalibrationInputs& in) {
    const Scenario& s = r.fitted;
    std::ostringstream out;
    out << "# Fitted by condorsim " << build_info::version << " (" << build_info::git_commit << "):\n"
        << "#   " << in.command_line << "\n"
        << "# Data: " << in.vix_file << " and " << in.spx_file << ", " << in.days << " common trading days "
        << in.first_date << " to " << in.last_date << ".\n"
        << "# Simulated method of moments (docs/calibration.md): objective " << number(r.objective) << " over "
        << r.evaluations << " evaluations, " << fixed(r.seconds, 0, 1) << " s.\n"
        << "# Q keys not fitted follow P (docs/calibration.md): mu_v^Q = mu_v, mu_s^Q keeps its offset from mu_s,\n"
        << "# kappa_y^Q = kappa_y and lambda^Q = lambda unless fitted, kappa_x^Q theta_x^Q = kappa_x theta_x unless\n"
        << "# kappa_x^Q is fitted.\n";
    const auto line = [&](const std::string& section, const char* key, double value) {
        out << key << " = " << number(value) << fit_comment(r, section + "." + key) << "\n";
    };
    out << "\n[model]\n";
    line("model", "sigma_x", s.model.shared.sigma_x);
    line("model", "rho", s.model.shared.rho);
    line("model", "phi", s.model.shared.phi);
    line("model", "sigma_s", s.model.shared.sigma_s);
    line("model", "rho_j", s.model.shared.rho_j);
    for (const auto& [section, m] : {std::pair{"model.p", s.model.p}, std::pair{"model.q", s.model.q}}) {
        out << "\n[" << section << "]\n";
        line(section, "kappa_x", m.kappa_x);
        line(section, "theta_x", m.theta_x);
        line(section, "kappa_y", m.kappa_y);
        line(section, "lambda", m.lambda);
        line(section, "mu_v", m.mu_v);
        line(section, "mu_s", m.mu_s);
        if (std::string(section) == "model.p") line(section, "eta", m.eta);
    }
    out << "\n[state]                  # the stationary means of x and y under P\n";
    line("state", "x0", s.state.x0);
    line("state", "y0", s.state.y0);
    return out.str();
}

void print_fit_report(std::ostream& out, const CalibrationResult& r, const CalibrationInputs& in) {
    out << "calibration: " << in.days << " trading days " << in.first_date << " to " << in.last_date << ", "
        << r.evaluations << " model evaluations of " << r.histories << " histories, " << fixed(r.seconds, 0, 1)
        << " s\n\n";
    out << "  moment                         data      model   model se   miss / scale\n";
    for (int m = 0; m < kMomentCount; ++m) {
        // The miss in the scale the objective used (its weight), else in sampling sd.
        const double z = (r.model[m] - r.data[m]) * (r.weight[m] > 0 ? std::sqrt(r.weight[m]) : 1 / r.sampling_sd[m]);
        char row[160];
        std::snprintf(row, sizeof row, "  %-26s %10.4g %10.4g %10.2g   %+6.2f%s\n", moment_info(m).name, r.data[m],
                      r.model[m], r.model_se[m], z, r.weight[m] > 0 ? "" : "  (not fitted)");
        out << row;
    }
    out << "\n  parameter                     start        fit         se\n";
    for (std::size_t k = 0; k < r.parameters.size(); ++k) {
        char row[160];
        std::snprintf(row, sizeof row, "  %-24s %10.4g %10.4g %10.2g%s\n", r.parameters[k].key.c_str(), r.start[k],
                      r.value[k], r.se[k], on_bound(r, k) ? "  (at a bound)" : "");
        out << row;
    }
    out << "\n  objective " << number(r.objective) << " (sum of weighted squared misses, weights 1/sampling sd^2)\n";
}

void write_fit_report(hid_t file, const CalibrationResult& r, const CalibrationInputs& in) {
    using namespace h5;
    Group g(file, "calibration");
    attribute(g.id(), "condorsim_version", std::string(build_info::version));
    attribute(g.id(), "git_commit", std::string(build_info::git_commit));
    attribute(g.id(), "created_utc", utc_now());
    attribute(g.id(), "command_line", in.command_line);
    attribute(g.id(), "vix_file", in.vix_file);
    attribute(g.id(), "spx_file", in.spx_file);
    attribute(g.id(), "first_date", in.first_date);
    attribute(g.id(), "last_date", in.last_date);
    attribute(g.id(), "days", int(in.days));
    attribute(g.id(), "histories", r.histories);
    attribute(g.id(), "evaluations", r.evaluations);
    attribute(g.id(), "seconds", r.seconds);
    attribute(g.id(), "objective", r.objective);

    std::vector<std::string> names;
    for (int m = 0; m < kMomentCount; ++m) names.push_back(moment_info(m).name);
    write_strings(g.id(), "moment_names", names);
    const auto vec = [](const MomentVector& v) { return std::vector<double>(v.begin(), v.end()); };
    write_dataset(g.id(), "moment_data", vec(r.data));
    write_dataset(g.id(), "moment_model", vec(r.model));
    write_dataset(g.id(), "moment_model_se", vec(r.model_se));
    write_dataset(g.id(), "moment_sampling_sd", vec(r.sampling_sd));
    write_dataset(g.id(), "moment_weight", vec(r.weight));

    std::vector<std::string> keys;
    for (const FitParameter& f : r.parameters) keys.push_back(f.key);
    write_strings(g.id(), "parameter_names", keys);
    write_dataset(g.id(), "parameter_start", r.start);
    write_dataset(g.id(), "parameter_value", r.value);
    write_dataset(g.id(), "parameter_se", r.se);
    if (!r.covariance.values.empty())
        write_dataset(g.id(), "parameter_covariance", r.covariance.values,
                      {hsize_t(r.covariance.rows), hsize_t(r.covariance.cols)});
    write_string(g.id(), "scenario_fragment", scenario_fragment(r, in));
}

}  // namespace condor
