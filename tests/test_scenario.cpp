// Scenario files: the shipped ones parse, every class of bad input is rejected
// with "file:line: key: message", and --set overrides are validated the same way.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <utility>

#include "tests/sim_helpers.h"

namespace condor::test {
namespace {

namespace fs = std::filesystem;

// The message of the ScenarioError that loading throws ("" if none).
std::string error_of(const std::string& text, const std::vector<std::string>& overrides = {}) {
    try {
        load_scenario_text(text, "test.toml", overrides);
    } catch (const ScenarioError& e) {
        return e.what();
    }
    return "";
}

// The base scenario with each `from` replaced by its `to`.
std::string replaced(std::initializer_list<std::pair<std::string, std::string>> edits) {
    std::string text = base_scenario_toml();
    for (const auto& [from, to] : edits) {
        const auto at = text.find(from);
        if (at == std::string::npos)
            ADD_FAILURE() << "no '" << from << "' in the base scenario";
        else
            text.replace(at, from.size(), to);
    }
    return text;
}
std::string replaced(const std::string& from, const std::string& to) { return replaced({{from, to}}); }

// 1-based line of the first occurrence of `needle` in the base scenario.
int line_of(const std::string& text, const std::string& needle) {
    const auto at = text.find(needle);
    return 1 + int(std::count(text.begin(), text.begin() + std::ptrdiff_t(at), '\n'));
}

// The published one-factor SVCJ (Eraker, Johannes & Polson 2003), the
// calibration's starting point.
TEST(Scenario, Ejp2003ScenarioCarriesThePublishedParameters) {
    const Scenario s = load_scenario_file(std::string(CONDOR_SOURCE_DIR) + "/scenarios/ejp2003.toml", {});
    EXPECT_EQ(s.market.spot, 5000.0);
    EXPECT_EQ(s.model.p.kappa_x, 6.55);
    EXPECT_EQ(s.model.p.theta_x, 0.01356);
    EXPECT_EQ(s.model.shared.rho, -0.48);
    EXPECT_EQ(s.model.shared.phi, 1.0);
    EXPECT_EQ(s.model.q.mu_s, -0.05);
    EXPECT_EQ(s.model.q.eta, 0.0);
    EXPECT_TRUE(s.warnings.empty()) << s.warnings.front();
}

// The default is the calibrated two-factor model (docs/calibration.md;
// tests/test_calibration_real.cpp checks its fit to the data): x slow, y fast,
// most of each variance jump to y, and the Feller condition fails under P and
// Q alike (kappa_x^Q theta_x^Q = kappa_x theta_x), which the scenario reports.
TEST(Scenario, DefaultScenarioIsTheCalibratedTwoFactorModel) {
    const Scenario s = load_scenario_text(default_scenario_text(), kDefaultScenarioName, {});
    EXPECT_EQ(s.market.spot, 5000.0);
    EXPECT_LT(s.model.p.kappa_x, 12.5);
    EXPECT_GT(s.model.p.kappa_y, 12.5);
    EXPECT_GT(s.model.shared.phi, 0.0);
    EXPECT_LT(s.model.shared.phi, 0.5);
    EXPECT_NEAR(s.model.q.kappa_x * s.model.q.theta_x, s.model.p.kappa_x * s.model.p.theta_x, 1e-6);
    EXPECT_EQ(s.model.q.eta, 0.0);
    EXPECT_EQ(s.run.days, 31) << "the condor's life after entry";
    EXPECT_EQ(s.trade.warmup_days, 200);
    ASSERT_EQ(s.strategies.size(), 2u) << "naked and ALVH, calm entry";
    EXPECT_TRUE(s.strategies[0].layers.empty());
    EXPECT_EQ(s.strategies[1].layers.size(), 3u);
    EXPECT_EQ(s.run.sample_paths, 100);
    EXPECT_EQ(s.run.measure, Measure::physical);
    ASSERT_EQ(s.warnings.size(), 2u);
    EXPECT_NE(s.warnings[0].find("model.p.theta_x: Feller condition"), std::string::npos) << s.warnings[0];
    EXPECT_NE(s.warnings[1].find("model.q.theta_x: Feller condition"), std::string::npos) << s.warnings[1];
    EXPECT_EQ(s.source_path, kDefaultScenarioName);
    EXPECT_EQ(s.text, default_scenario_text());
}

TEST(Scenario, EveryShippedScenarioParses) {
    int count = 0;
    for (const auto& entry : fs::directory_iterator(fs::path(CONDOR_SOURCE_DIR) / "scenarios")) {
        if (entry.path().extension() != ".toml") continue;
        SCOPED_TRACE(entry.path().string());
        EXPECT_NO_THROW(load_scenario_file(entry.path().string(), {}));
        ++count;
    }
    EXPECT_GE(count, 4);
}

TEST(Scenario, EventsShocksAndRegimeAreRead) {
    const Scenario s = load_scenario_text(base_scenario_toml() + R"(
[regime]
enabled = true
initial = "stressed"
theta_x_stressed = 0.09
lambda_stressed = 4.0
to_stressed_per_year = 1.5
to_calm_per_year = 10.0
[[event]]
name = "FOMC"
day = 20
probability = 0.8
size_dist = "lognormal"
size_mean = 0.02
size_sd = 0.01
spx_move_mean_pct = -0.5
spx_move_sd_pct = 1.0
[[shock]]
day = 5
spx_move_pct = -4.1
vix_level = 37.3
)",
                                          "test.toml", {});
    EXPECT_TRUE(s.regime.enabled);
    EXPECT_TRUE(s.regime.start_stressed);
    EXPECT_EQ(s.regime.to_calm_per_year, 10.0);
    ASSERT_EQ(s.events.size(), 1u);
    EXPECT_EQ(s.events[0].name, "FOMC");
    EXPECT_EQ(s.events[0].size_dist, SizeDistribution::lognormal);
    EXPECT_EQ(s.events[0].size_sd, 0.01);
    ASSERT_EQ(s.shocks.size(), 1u);
    EXPECT_EQ(s.shocks[0].vix_level, 37.3);
}

TEST(Scenario, OptionalKeysTakeTheirDocumentedDefaults) {
    std::string text = base_scenario_toml();
    for (const char* line : {"phi = 1.0\n", "sigma_s = 0.0\n", "rho_j = 0.0\n", "eta = 0.0\n", "y0 = 0.0\n"})
        text.erase(text.find(line), std::strlen(line));
    const Scenario s =
        load_scenario_text(text + "[[event]]\nday = 3\nprobability = 1\nsize_mean = 0.01\n", "test.toml", {});
    EXPECT_EQ(s.model.shared.phi, 1.0);
    EXPECT_EQ(s.model.shared.sigma_s, 0.0);
    EXPECT_EQ(s.state.y0, 0.0);
    EXPECT_EQ(s.run.substeps_per_day, 1);
    EXPECT_EQ(s.run.scheme, Scheme::qe);
    EXPECT_EQ(s.events[0].size_dist, SizeDistribution::exponential);
    EXPECT_EQ(s.events[0].name, "event");
    EXPECT_FALSE(s.regime.enabled);
}

struct BadCase {
    const char* name;
    std::string text;
    std::string expected;  // the message must contain this
};

TEST(Scenario, BadInputIsRejectedWithFileLineAndKey) {
    const std::string& base = base_scenario_toml();
    const std::string rho_at = "test.toml:" + std::to_string(line_of(base, "rho = ")) + ": ";
    const BadCase cases[] = {
        {"unknown top-level table", base + "[extra]\nfoo = 1\n", ": extra: unknown key; allowed at the top level"},
        {"unknown key", replaced("eta = 0.0", "eta = 0.0\nkappa_z = 1.0"),
         "test.toml:" + std::to_string(line_of(base, "eta = 0.0") + 1) + ": model.p.kappa_z: unknown key"},
        {"eta under Q", replaced("mu_s = 0.0\n[state]", "mu_s = 0.0\neta = 1.0\n[state]"), "model.q.eta: unknown key"},
        {"unknown key beats the missing one it explains", replaced("kappa_y = 30.0", "kapa_y = 30.0"),
         "model.p.kapa_y: unknown key"},
        {"wrong type", replaced("rho = -0.7", "rho = \"high\""),
         rho_at + "model.rho: expected a number in (-1, 1), got a string"},
        {"rho = 1", replaced("rho = -0.7", "rho = 1.0"), rho_at + "model.rho: 1 is out of range; allowed (-1, 1)"},
        {"rho = -1", replaced("rho = -0.7", "rho = -1"), "model.rho: -1 is out of range; allowed (-1, 1)"},
        {"nan", replaced("rho = -0.7", "rho = nan"), "model.rho: nan is out of range"},
        {"inf", replaced("sigma_x = 0.5", "sigma_x = inf"), "model.sigma_x: inf is out of range"},
        {"negative x0", replaced("x0 = 0.04", "x0 = -0.01"), "state.x0: -0.01 is out of range; allowed [0, 10]"},
        {"negative y0", replaced("y0 = 0.0", "y0 = -1e-3"), "state.y0: -0.001 is out of range"},
        {"zero kappa", replaced("kappa_x = 2.0", "kappa_x = 0.0"),
         "model.p.kappa_x: 0 is out of range; allowed (0, 1000]"},
        {"negative theta", replaced("theta_x = 0.04", "theta_x = -0.04"), "model.p.theta_x: -0.04 is out of range"},
        {"negative lambda", replaced("lambda = 0.0", "lambda = -1.0"), "model.p.lambda: -1 is out of range"},
        {"phi above 1", replaced("phi = 1.0", "phi = 1.5"), "model.phi: 1.5 is out of range; allowed [0, 1]"},
        {"missing key", replaced("spot = 100.0\n", ""),
         "test.toml:2: market.spot: missing required key (a number in (0, inf)) in [market]"},
        {"missing table", replaced("[state]\nx0 = 0.04\ny0 = 0.0\n", ""), "state: missing required key (a table)"},
        {"table as a value", replaced({{"[state]\nx0 = 0.04\ny0 = 0.0\n", ""}, {"[market]", "state = 3\n[market]"}}),
         "state: expected a table"},
        {"float for an integer", replaced("days = 252", "days = 252.5"),
         "run.days: expected an integer in [1, 100000], got a number"},
        {"days out of range", replaced("days = 252", "days = 0"), "run.days: 0 is out of range; allowed [1, 100000]"},
        {"paths out of range", replaced("paths = 10000", "paths = 0"), "run.paths: 0 is out of range"},
        {"unknown measure", replaced("seed = 42", "seed = 42\nmeasure = \"R\""),
         "run.measure: \"R\" is not allowed; use one of \"P\", \"Q\""},
        {"measure of the wrong type", replaced("seed = 42", "seed = 42\nmeasure = 1"),
         "run.measure: expected one of \"P\", \"Q\", got an integer"},
        {"unknown scheme", replaced("seed = 42", "seed = 42\nscheme = \"milstein\""), "run.scheme"},
        {"sample paths x days",
         replaced({{"paths = 10000", "paths = 100000"}, {"sample_paths = 0", "sample_paths = 90000"}}),
         "run.sample_paths: sample_paths x (days + 1)"},
        {"jump compensator", replaced({{"rho_j = 0.0", "rho_j = 20.0"}, {"mu_v = 0.0", "mu_v = 0.06"}}),
         "model.rho_j: rho_j * model.p.mu_v = 1.2 must be < 1"},
        {"event after the horizon", base + "[[event]]\nday = 400\nprobability = 0.5\nsize_mean = 0.01\n",
         "test.toml:" + std::to_string(line_of(base, "sample_paths") + 2) +
             ": event[0].day: 400 is out of range; allowed [1, run.days = 252]"},
        {"event probability", base + "[[event]]\nday = 4\nprobability = 1.5\nsize_mean = 0.01\n",
         "event[0].probability: 1.5 is out of range; allowed [0, 1]"},
        {"event distribution", base + "[[event]]\nday = 4\nprobability = 1\nsize_mean = 0.01\nsize_dist = \"gamma\"\n",
         "event[0].size_dist: \"gamma\" is not allowed"},
        {"lognormal without sd",
         base + "[[event]]\nday = 4\nprobability = 1\nsize_mean = 0.01\nsize_dist = \"lognormal\"\n",
         "event[0].size_sd: size_dist = \"lognormal\" needs size_mean > 0 and size_sd > 0"},
        {"sd without lognormal", base + "[[event]]\nday = 4\nprobability = 1\nsize_mean = 0.01\nsize_sd = 0.01\n",
         "event[0].size_sd: applies only to size_dist = \"lognormal\""},
        {"event missing day", base + "[[event]]\nprobability = 1\nsize_mean = 0.01\n",
         "event[0].day: missing required key"},
        {"event unknown key", base + "[[event]]\nday = 4\nprobability = 1\nsize_mean = 0.01\nsize = 2\n",
         "event[0].size: unknown key"},
        {"duplicate shock days",
         base + "[[shock]]\nday = 5\nspx_move_pct = -4\nvix_level = 40\n"
                "[[shock]]\nday = 5\nspx_move_pct = -2\nvix_level = 50\n",
         "shock[1].day: day 5 already has a shock (shock[0])"},
        {"shock crash beyond -100%", base + "[[shock]]\nday = 5\nspx_move_pct = -100\nvix_level = 40\n",
         "shock[0].spx_move_pct: -100 is out of range; allowed (-100, 100]"},
        {"shock VIX not positive", base + "[[shock]]\nday = 5\nspx_move_pct = -4\nvix_level = 0\n",
         "shock[0].vix_level: 0 is out of range"},
        {"regime on without its keys", base + "[regime]\nenabled = true\n",
         "regime.theta_x_stressed: missing required key"},
        {"regime initial", base + "[regime]\ninitial = \"panic\"\n", "regime.initial: \"panic\" is not allowed"},
        {"malformed TOML", replaced("spot = 100.0", "spot = = 100.0"), "test.toml:3:"},
    };
    for (const BadCase& c : cases) {
        SCOPED_TRACE(c.name);
        const std::string message = error_of(c.text);
        EXPECT_NE(message.find(c.expected), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
    }
}

TEST(Scenario, ShockBelowTheModelVixFloorIsRejected) {
    // With jumps under Q the VIX has a floor 100 sqrt(a) > 0 (vix_index.h).
    const std::string text =
        replaced("lambda = 0.0\nmu_v = 0.0\nmu_s = 0.0\n[state]", "lambda = 5.0\nmu_v = 0.05\nmu_s = 0.0\n[state]") +
        "[[shock]]\nday = 5\nspx_move_pct = -4\nvix_level = 1\n";
    EXPECT_NE(error_of(text).find("shock[0].vix_level: 1 is at or below the lowest VIX the model reaches ("),
              std::string::npos)
        << error_of(text);
}

TEST(Scenario, FellerViolationIsAWarning) {
    const Scenario ok = scenario({"model.sigma_x=0.3"});  // 2 * 2 * 0.04 = 0.16 >= 0.09
    EXPECT_TRUE(ok.warnings.empty());
    const Scenario s = scenario({"model.sigma_x=1.0"});
    ASSERT_EQ(s.warnings.size(), 2u);  // P and Q
    EXPECT_NE(s.warnings[0].find("model.p.theta_x: Feller condition"), std::string::npos) << s.warnings[0];
    EXPECT_NE(s.warnings[0].find("0.16 < 1"), std::string::npos) << s.warnings[0];
    EXPECT_NE(s.warnings[1].find("model.q.theta_x"), std::string::npos) << s.warnings[1];
}

TEST(Scenario, OverridesSetAnyKey) {
    const Scenario s = scenario({"model.rho=-0.3", "run.measure=Q", "run.scheme=\"euler\"", "run.days=21",
                                 "market.spot=4000", "model.p.eta=2"});
    EXPECT_EQ(s.model.shared.rho, -0.3);
    EXPECT_EQ(s.run.measure, Measure::risk_neutral);
    EXPECT_EQ(s.run.scheme, Scheme::euler);
    EXPECT_EQ(s.run.days, 21);
    EXPECT_EQ(s.market.spot, 4000.0);  // an integer where a number is expected
    EXPECT_EQ(s.model.p.eta, 2.0);
    EXPECT_EQ(s.overrides.size(), 6u);
    // Later overrides win.
    EXPECT_EQ(scenario({"run.days=10", "run.days=20"}).run.days, 20);
}

TEST(Scenario, OverridesCreateTablesAndAddressArrayElements) {
    const Scenario s =
        scenario({"regime.enabled=true", "regime.theta_x_stressed=0.1", "regime.lambda_stressed=3",
                  "regime.to_stressed_per_year=1", "regime.to_calm_per_year=12",
                  // event[0] appends the first [[event]], then its keys are set
                  "event[0].day=7", "event[0].probability=0.5", "event[0].size_mean=0.02", "event[0].day=9",
                  "event[1].day=11", "event[1].probability=1", "event[1].size_mean=0.01", "event[1].size_dist=fixed"});
    EXPECT_TRUE(s.regime.enabled);
    EXPECT_EQ(s.regime.theta_x_stressed, 0.1);
    ASSERT_EQ(s.events.size(), 2u);
    EXPECT_EQ(s.events[0].day, 9);
    EXPECT_EQ(s.events[1].size_dist, SizeDistribution::fixed);
}

TEST(Scenario, BadOverridesNameTheArgumentAndKey) {
    const BadCase cases[] = {
        {"out of range", "model.rho=1.5", "--set 'model.rho=1.5': model.rho: 1.5 is out of range; allowed (-1, 1)"},
        {"unknown key", "model.p.bogus=1", "--set 'model.p.bogus=1': model.p.bogus: unknown key"},
        {"wrong type", "run.days=many",
         "--set 'run.days=many': run.days: expected an integer in [1, 100000], got a string"},
        {"no equals sign", "model.rho", "--set 'model.rho': malformed override; expected key=value"},
        {"no value", "model.rho=", "--set 'model.rho=': model.rho: missing value"},
        {"no key", "=3", "--set '=3': malformed override"},
        {"malformed value", "model.rho=\"open", "--set 'model.rho=\"open': model.rho: malformed value '\"open' ("},
        // Anything that starts like a number must be one: not a string "99999...".
        {"integer overflow", "run.seed=99999999999999999999", "run.seed: malformed value '99999999999999999999' ("},
        {"number without a leading digit", "model.rho=.5", "model.rho: malformed value '.5' ("},
        {"huge index", "event[99999999999999999999999].day=5", "event[99999999999999999999999].day: index "},
        {"line break in the value", "model.rho=0.5\nmodel.phi=0.2", "--set 'model.rho=0.5\\nmodel.phi=0.2': malformed"},
        {"malformed key", "model..rho=1", "--set 'model..rho=1': model..rho: malformed key"},
        {"index out of range", "event[3].day=5", "event[3].day: index 3 is out of range; the scenario has 0"},
        {"not a table", "market.spot.x=1", "--set 'market.spot.x=1': market.spot.x: 'spot' is not a table"},
        {"event after the horizon", "run.days=10", ""},  // fine: no events
    };
    for (const BadCase& c : cases) {
        SCOPED_TRACE(c.name);
        const std::string message = error_of(base_scenario_toml(), {c.text});
        if (c.expected.empty()) {
            EXPECT_EQ(message, "");
            continue;
        }
        EXPECT_NE(message.find(c.expected), std::string::npos) << message;
    }
    // An override that makes the file's own event invalid names that event.
    const std::string with_event = base_scenario_toml() + "[[event]]\nday = 30\nprobability = 1\nsize_mean = 0.01\n";
    EXPECT_NE(error_of(with_event, {"run.days=21"})
                  .find("test.toml:" + std::to_string(line_of(with_event, "day = 30")) +
                        ": event[0].day: 30 is out of range; allowed [1, run.days = 21]"),
              std::string::npos);
}

TEST(Scenario, KeysCreatedByOverridesAreReportedAgainstTheArgument) {
    // The [regime] table does not exist in the file: --set creates it, so a key
    // missing from it is the argument's fault, not the file's.
    EXPECT_NE(error_of(base_scenario_toml(), {"regime.enabled=true"})
                  .find("--set 'regime.enabled=true': regime.theta_x_stressed: missing required key"),
              std::string::npos)
        << error_of(base_scenario_toml(), {"regime.enabled=true"});
    EXPECT_NE(error_of(base_scenario_toml(), {"event[0].day=5"})
                  .find("--set 'event[0].day=5': event[0].probability: missing required key (a number in [0, 1])"),
              std::string::npos)
        << error_of(base_scenario_toml(), {"event[0].day=5"});
}

TEST(Scenario, OverrideValuesAreTomlLiteralsOrBareWords) {
    EXPECT_EQ(scenario({"run.measure=Q"}).run.measure, Measure::risk_neutral);
    EXPECT_EQ(scenario({"run.measure=\"Q\""}).run.measure, Measure::risk_neutral);
    EXPECT_EQ(scenario({"model.rho=-0.25"}).model.shared.rho, -0.25);
    EXPECT_EQ(scenario({"model.rho = +0.25 "}).model.shared.rho, 0.25);
    // A TOML literal wins over a bare word: true is a boolean, not the string "true".
    EXPECT_NE(error_of(base_scenario_toml(), {"run.measure=true"}).find("expected one of \"P\", \"Q\", got a boolean"),
              std::string::npos);
}

TEST(Scenario, OddKeysArePrintedQuotedOnOneLine) {
    const BadCase cases[] = {
        {"dotted quoted key", replaced("[model]", "[model]\n\"p.kappa_x\" = 1.0"),
         "model.\"p.kappa_x\": unknown key; allowed in [model]"},
        {"empty key", "\"\" = 1\n" + base_scenario_toml(), "test.toml:1: \"\": unknown key; allowed at the top level"},
        {"line break in a key", replaced("[model]", "[model]\n\"a\\nb\" = 1.0"), "model.\"a\\nb\": unknown key"},
        {"line break in a string", replaced("seed = 42", "seed = 42\nmeasure = \"P\\nQ\""),
         "run.measure: \"P\\nQ\" is not allowed"},
    };
    for (const BadCase& c : cases) {
        SCOPED_TRACE(c.name);
        const std::string message = error_of(c.text);
        EXPECT_NE(message.find(c.expected), std::string::npos) << message;
        EXPECT_EQ(message.find('\n'), std::string::npos) << "one line: " << message;
    }
}

TEST(Scenario, DirectoryIsNotAScenarioFile) {
    const fs::path dir = fs::temp_directory_path() / "condorsim_scenario_dir.toml";
    fs::create_directories(dir);
    try {
        load_scenario_file(dir.string(), {});
        ADD_FAILURE() << "no error";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find(dir.string() + ": cannot read the scenario file: it is a directory"),
                  std::string::npos)
            << e.what();
    }
    fs::remove(dir);
}

TEST(Scenario, MissingFileIsNamed) {
    try {
        load_scenario_file("/nonexistent/absent.toml", {});
        FAIL() << "no error";
    } catch (const ScenarioError& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/absent.toml: cannot read the scenario file"),
                  std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace condor::test
