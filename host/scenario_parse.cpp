// Scenario files: TOML -> Scenario, with strict validation and --set overrides.
// The format (keys, units, ranges, defaults) is docs/scenario-format.md.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <sstream>

#include "host/config_reader.h"
#include "host/scenario.h"
#include "host/strategy_parse.h"
#include "kernels/platform.h"
#include "kernels/vix_index.h"

namespace condor {
namespace {

constexpr std::int64_t kMaxDays = 100000;
constexpr std::int64_t kMaxSubsteps = 10000;
// 2^48: the path index fills one Philox key word and 24 bits of a counter word
// (kernels/rng.h); 2^48 also keeps path counts exact in double.
constexpr std::int64_t kMaxPaths = std::int64_t(1) << 48;
constexpr std::int64_t kMaxSamplePaths = 100000;
// Full paths kept in memory and in the file: sample_paths x (days + 1) values per series.
constexpr double kMaxSampleValues = 2e7;

// ---- --set key=value -------------------------------------------------------

struct KeySegment {
    std::string name;
    std::optional<std::size_t> index;  // event[2] -> 2
};

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos) return "";
    return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

bool is_bare_key_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

std::vector<KeySegment> split_key(const std::string& key, const std::string& source) {
    std::vector<KeySegment> out;
    std::stringstream parts(key);
    std::string part;
    while (std::getline(parts, part, '.')) {
        KeySegment seg;
        const auto bracket = part.find('[');
        seg.name = part.substr(0, bracket);
        if (bracket != std::string::npos) {
            const auto close = part.find(']', bracket);
            const std::string digits = part.substr(bracket + 1, close == std::string::npos ? 0 : close - bracket - 1);
            if (close != part.size() - 1 || digits.empty() ||
                digits.find_first_not_of("0123456789") != std::string::npos)
                throw ScenarioError(source + ": " + key + ": malformed index in '" + part + "'; write e.g. event[0]");
            std::size_t index = 0;
            const auto [end, status] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
            if (status != std::errc() || end != digits.data() + digits.size())
                throw ScenarioError(source + ": " + key + ": index " + digits + " is too large");
            seg.index = index;
        }
        if (seg.name.empty() || !std::all_of(seg.name.begin(), seg.name.end(), is_bare_key_char))
            throw ScenarioError(source + ": " + key + ": malformed key; use dotted names like model.p.kappa_x");
        out.push_back(seg);
    }
    if (out.empty() || key.back() == '.')
        throw ScenarioError(source + ": " + key + ": malformed key; use dotted names like model.p.kappa_x");
    return out;
}

// A bare word (P, qe, lognormal) is a string; anything starting with a digit,
// sign or dot is meant as a number and must parse as one.
bool is_bare_word(const std::string& value) {
    const auto first = static_cast<unsigned char>(value.front());
    return (std::isalpha(first) || value.front() == '_') &&
           std::all_of(value.begin(), value.end(), [](char c) { return is_bare_key_char(c) || c == '.'; });
}

// The value in TOML syntax, else a bare word taken as a string. Parsed under the
// --set argument's name, so that later messages point at the argument.
toml::table parse_value(const std::string& value, const std::string& key, const std::string& source) {
    try {
        toml::table parsed = toml::parse("value = " + value, source);
        if (parsed.size() != 1 || !parsed.contains("value"))
            throw ScenarioError(source + ": " + key + ": malformed value '" + value + "'; give one value");
        return parsed;
    } catch (const toml::parse_error& e) {
        if (!is_bare_word(value))
            throw ScenarioError(source + ": " + key + ": malformed value '" + value + "' (" +
                                std::string(e.description()) +
                                "); use TOML syntax (1.5, -0.7, true, \"text\") or a bare word (P, lognormal)");
        return toml::parse("value = \"" + value + "\"", source);
    }
}

// An empty table or array that, like a parsed value, remembers the --set argument
// that created it: a key later found missing in it is reported against that argument.
toml::table created_by(const char* empty_value, const std::string& source) {
    return toml::parse(std::string("value = ") + empty_value, source);
}

toml::table& child_table(toml::table& parent, const KeySegment& seg, const std::string& key,
                         const std::string& source) {
    toml::node* node = parent.get(seg.name);
    if (!seg.index) {
        if (!node)
            node = &parent.insert_or_assign(seg.name, std::move(*created_by("{}", source).get_as<toml::table>("value")))
                        .first->second;
        if (!node->is_table()) throw ScenarioError(source + ": " + key + ": '" + seg.name + "' is not a table");
        return *node->as_table();
    }
    if (!node)
        node = &parent.insert_or_assign(seg.name, std::move(*created_by("[]", source).get_as<toml::array>("value")))
                    .first->second;
    toml::array* array = node->as_array();
    if (!array || (!array->empty() && !array->is_array_of_tables()))
        throw ScenarioError(source + ": " + key + ": '" + seg.name + "' is not an array of tables");
    const std::size_t size = array->size();
    if (*seg.index > size)
        throw ScenarioError(source + ": " + key + ": index " + std::to_string(*seg.index) + " is out of range; the " +
                            "scenario has " + std::to_string(size) + " [[" + seg.name + "]] tables (index " +
                            std::to_string(size) + " appends one)");
    if (*seg.index == size) array->push_back(std::move(*created_by("{}", source).get_as<toml::table>("value")));
    return *array->get(*seg.index)->as_table();
}

void apply_override(toml::table& root, const std::string& text) {
    const std::string source = "--set '" + one_line(text) + "'";
    if (text.find_first_of("\n\r") != std::string::npos)
        throw ScenarioError(source + ": malformed override; one key=value per --set, without line breaks");
    const auto eq = text.find('=');
    if (eq == std::string::npos)
        throw ScenarioError(source + ": malformed override; expected key=value, e.g. --set model.rho=-0.7");
    const std::string key = trim(text.substr(0, eq));
    const std::string value = trim(text.substr(eq + 1));
    if (key.empty()) throw ScenarioError(source + ": malformed override; the key before '=' is empty");
    if (value.empty()) throw ScenarioError(source + ": " + key + ": missing value after '='");

    const std::vector<KeySegment> segments = split_key(key, source);
    toml::table* table = &root;
    for (std::size_t i = 0; i + 1 < segments.size(); ++i) table = &child_table(*table, segments[i], key, source);
    const KeySegment& last = segments.back();
    if (last.index) throw ScenarioError(source + ": " + key + ": set the keys of a table, e.g. " + key + ".day=5");
    toml::table parsed = parse_value(value, key, source);
    table->insert_or_assign(last.name, std::move(*parsed.get("value")));
}

// ---- sections ----------------------------------------------------------------

MarketParams read_market(TableReader t) {
    MarketParams m;
    m.spot = t.real("spot", greater_than(0));
    m.rate = t.real("rate", closed(-1, 1));
    m.dividend_yield = t.real("dividend_yield", closed(-1, 1));
    return m;
}

SharedParams read_shared(TableReader& t) {
    SharedParams s;
    s.sigma_x = t.real("sigma_x", closed(0, 10));
    s.rho = t.real("rho", open(-1, 1));
    s.phi = t.real_or("phi", 1.0, closed(0, 1));
    s.sigma_s = t.real_or("sigma_s", 0.0, closed(0, 2));
    s.rho_j = t.real_or("rho_j", 0.0, closed(-100, 100));
    return s;
}

// model.p carries the equity premium eta; model.q has none (drift r - q).
MeasureParams read_measure(TableReader t, bool physical) {
    MeasureParams m;
    m.kappa_x = t.real("kappa_x", {0, 1000, true, false});
    m.theta_x = t.real("theta_x", closed(0, 10));
    m.kappa_y = t.real("kappa_y", {0, 10000, true, false});
    m.lambda = t.real_or("lambda", 0.0, closed(0, 10000));
    m.mu_v = t.real_or("mu_v", 0.0, closed(0, 10));
    m.mu_s = t.real_or("mu_s", 0.0, closed(-2, 2));
    if (physical) m.eta = t.real_or("eta", 0.0, closed(-100, 100));
    return m;
}

InitialState read_state(TableReader t) {
    InitialState s;
    s.x0 = t.real("x0", closed(0, 10));
    s.y0 = t.real_or("y0", 0.0, closed(0, 10));
    return s;
}

RunSettings read_run(TableReader t) {
    RunSettings r;
    r.days = int(t.integer_or("days", r.days, 1, kMaxDays));
    r.substeps_per_day = int(t.integer_or("substeps_per_day", r.substeps_per_day, 1, kMaxSubsteps));
    r.paths = std::uint64_t(t.integer_or("paths", std::int64_t(r.paths), 1, kMaxPaths));
    r.seed = std::uint64_t(t.integer_or("seed", std::int64_t(r.seed), 0, std::numeric_limits<std::int64_t>::max()));
    r.measure = t.choice_or("measure", "P", {"P", "Q"}) == "Q" ? Measure::risk_neutral : Measure::physical;
    r.scheme = t.choice_or("scheme", "qe", {"qe", "euler"}) == "euler" ? Scheme::euler : Scheme::qe;
    r.sample_paths = int(t.integer_or("sample_paths", r.sample_paths, 0, kMaxSamplePaths));
    r.chunk_paths = std::uint64_t(t.integer_or("chunk_paths", 0, 0, kMaxPaths));
    return r;
}

// The stressed-state keys are required only when the regime is on, so that a
// file can carry a regime and switch it with --set regime.enabled=true.
RegimeParams read_regime(TableReader t) {
    RegimeParams r;
    r.enabled = t.boolean_or("enabled", false);
    r.start_stressed = t.choice_or("initial", "calm", {"calm", "stressed"}) == "stressed";
    const auto rate = [&](const char* key, RealRange range) {
        return r.enabled ? t.real(key, range) : t.real_or(key, 0.0, range);
    };
    r.theta_x_stressed = rate("theta_x_stressed", closed(0, 10));
    r.lambda_stressed = rate("lambda_stressed", closed(0, 10000));
    r.to_stressed_per_year = rate("to_stressed_per_year", closed(0, 10000));
    r.to_calm_per_year = rate("to_calm_per_year", closed(0, 10000));
    return r;
}

// Events and shocks happen at the close of a day within the horizon [1, run.days].
ScheduledEvent read_event(TableReader t, const RunSettings& run) {
    ScheduledEvent e;
    e.name = t.string_or("name", "event");
    e.day = int(t.integer("day", 1, run.days, "run.days"));
    e.probability = t.real("probability", closed(0, 1));
    const std::string dist = t.choice_or("size_dist", "exponential", {"fixed", "exponential", "lognormal"});
    e.size_dist = dist == "fixed"         ? SizeDistribution::fixed
                  : dist == "exponential" ? SizeDistribution::exponential
                                          : SizeDistribution::lognormal;
    e.size_mean = t.real("size_mean", closed(0, 10));
    e.size_sd = t.real_or("size_sd", 0.0, closed(0, 10));
    e.spx_move_mean_pct = t.real_or("spx_move_mean_pct", 0.0, {-100, 100, true, false});
    e.spx_move_sd_pct = t.real_or("spx_move_sd_pct", 0.0, closed(0, 100));
    return e;
}

StressShock read_shock(TableReader t, const RunSettings& run) {
    StressShock s;
    s.day = int(t.integer("day", 1, run.days, "run.days"));
    s.spx_move_pct = t.real("spx_move_pct", {-100, 100, true, false});
    s.vix_level = t.real("vix_level", {0, 1000, true, false});
    return s;
}

// ---- consistency across keys ---------------------------------------------------

void check_jump_compensator(const Scenario& s, const ConfigReader& r) {
    // E[exp(J_S)] = exp(mu_s + sigma_s^2/2) / (1 - rho_j mu_v) for J_v ~ Exp(mu_v)
    // (Eraker, Johannes & Polson 2003, eq. 2): finite only for rho_j mu_v < 1.
    for (const auto& [name, m] : {std::pair{"model.p", s.model.p}, std::pair{"model.q", s.model.q}}) {
        const double product = s.model.shared.rho_j * m.mu_v;
        if (product >= 1)
            r.fail("model.rho_j", "rho_j * " + std::string(name) + ".mu_v = " + format_number(product) +
                                      " must be < 1 (the price-jump compensator E[exp(J_S)] is infinite otherwise)");
    }
}

std::string significant(double v, int digits) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
    return buffer;
}

// The kernels hold events and shocks in fixed-size arrays (kernels/platform.h).
void check_count(const ConfigReader& r, const std::string& key, std::size_t count, int most) {
    if (count > std::size_t(most))
        r.fail(key, std::to_string(count) + " [[" + key + "]] tables; at most " + std::to_string(most));
}

void check_events(const Scenario& s, const ConfigReader& r) {
    check_count(r, "event", s.events.size(), kMaxEvents);
    for (std::size_t i = 0; i < s.events.size(); ++i) {
        const ScheduledEvent& e = s.events[i];
        const std::string name = "event[" + std::to_string(i) + "]";
        if (e.size_dist != SizeDistribution::lognormal && e.size_sd != 0)
            r.fail(name + ".size_sd", "applies only to size_dist = \"lognormal\"");
        if (e.size_dist == SizeDistribution::lognormal && (e.size_sd <= 0 || e.size_mean <= 0))
            r.fail(name + (e.size_sd <= 0 ? ".size_sd" : ".size_mean"),
                   "size_dist = \"lognormal\" needs size_mean > 0 and size_sd > 0 (use \"fixed\" for a constant size)");
    }
}

void check_shocks(const Scenario& s, const ConfigReader& r) {
    check_count(r, "shock", s.shocks.size(), kMaxShocks);
    // With x = y = 0 the VIX is 100 sqrt(a): no state reaches a lower level.
    const double vix_floor = 100 * std::sqrt(std::max(0.0, vix_coefficients(s.model.shared, s.model.q).a));
    std::map<int, std::size_t> first_on_day;
    for (std::size_t i = 0; i < s.shocks.size(); ++i) {
        const StressShock& k = s.shocks[i];
        const std::string name = "shock[" + std::to_string(i) + "]";
        const auto [it, fresh] = first_on_day.emplace(k.day, i);
        if (!fresh)
            r.fail(name + ".day", "day " + std::to_string(k.day) + " already has a shock (shock[" +
                                      std::to_string(it->second) + "]); one shock per day");
        if (k.vix_level <= vix_floor)
            r.fail(name + ".vix_level", format_number(k.vix_level) +
                                            " is at or below the lowest VIX the model reaches (" +
                                            significant(vix_floor, 4) + " with x = y = 0 under model.q)");
    }
}

void check_run(const Scenario& s, const ConfigReader& r) {
    const double sample_values =
        double(std::min<std::uint64_t>(s.run.sample_paths, s.run.paths)) * (s.simulated_days() + 1);
    if (sample_values > kMaxSampleValues)
        r.fail("run.sample_paths", "sample_paths x (days + 1) = " + format_number(sample_values) +
                                       " stored values per series (days: warm-up + run.days); at most " + format_number(kMaxSampleValues));
}

// Feller (1951): x stays positive iff 2 kappa_x theta_x >= sigma_x^2. Violations
// are legitimate (fitted SVCJ models often violate it); the QE scheme handles
// x at zero, full-truncation Euler is biased there.
void warn_feller(Scenario& s, const ConfigReader& r) {
    const double sigma2 = s.model.shared.sigma_x * s.model.shared.sigma_x;
    const auto check = [&](const std::string& key, double kappa, double theta) {
        const double lhs = 2 * kappa * theta;
        if (lhs < sigma2)
            s.warnings.push_back(located_message(r.where(key), key,
                                                 "Feller condition 2 kappa_x theta_x >= sigma_x^2 fails (" +
                                                     format_number(lhs) + " < " + format_number(sigma2) +
                                                     "): x reaches zero (allowed; the QE scheme handles it)"));
    };
    check("model.p.theta_x", s.model.p.kappa_x, s.model.p.theta_x);
    check("model.q.theta_x", s.model.q.kappa_x, s.model.q.theta_x);
    if (s.regime.enabled) check("regime.theta_x_stressed", s.model.p.kappa_x, s.regime.theta_x_stressed);
}

Scenario read_scenario(const toml::table& root, const std::string& source) {
    ConfigReader reader(root, source);
    TableReader top = reader.root();
    Scenario s;
    s.market = read_market(top.table("market", true));
    TableReader model = top.table("model", true);
    s.model.shared = read_shared(model);
    s.model.p = read_measure(model.table("p", true), true);
    s.model.q = read_measure(model.table("q", true), false);
    s.state = read_state(top.table("state", true));
    s.run = read_run(top.table("run", false));
    s.regime = read_regime(top.table("regime", false));
    for (TableReader& t : top.array_of_tables("event")) s.events.push_back(read_event(t, s.run));
    for (TableReader& t : top.array_of_tables("shock")) s.shocks.push_back(read_shock(t, s.run));
    read_strategies(top, s);
    reader.check();

    check_jump_compensator(s, reader);
    check_run(s, reader);
    check_events(s, reader);
    check_shocks(s, reader);
    check_strategies(s, reader);
    check_precision(s, reader);
    warn_feller(s, reader);
    return s;
}

}  // namespace

Scenario load_scenario_text(const std::string& text, const std::string& source_path,
                            const std::vector<std::string>& overrides) {
    toml::table root;
    try {
        root = toml::parse(text, source_path);
    } catch (const toml::parse_error& e) {
        const auto& at = e.source().begin;
        throw ScenarioError(one_line(source_path + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) +
                                     ": malformed TOML: " + std::string(e.description())));
    }
    for (const std::string& o : overrides) apply_override(root, o);
    Scenario s = read_scenario(root, source_path);
    s.source_path = source_path;
    s.text = text;
    s.overrides = overrides;
    return s;
}

Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw ScenarioError(path + ": cannot read the scenario file: it is a directory");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ScenarioError(path + ": cannot read the scenario file: " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw ScenarioError(path + ": cannot read the scenario file: " + std::strerror(errno));
    return load_scenario_text(text.str(), path, overrides);
}

}  // namespace condor
