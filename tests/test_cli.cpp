// The command line end to end: the default scenario runs, and every class of
// bad input exits non-zero with a message naming the key and leaves no file.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

#include "host/pricing/cos_pricer.h"
#include "host/pricing/vix_pricer.h"
#include "kernels/vix_index.h"
#include "tests/cli_helpers.h"
#include "tests/h5_compare.h"
#include "tests/scratch_dir.h"
#include "tests/sim_helpers.h"

namespace condor::test {
namespace {

namespace fs = std::filesystem;

class Cli : public ::testing::Test {
protected:
    std::string write_scenario(const std::string& name, const std::string& text) { return dir_.write(name, text); }
    std::string output_path() const { return dir_.file("out.h5"); }
    bool directory_has_only_scenarios() const { return dir_.holds_only(".toml"); }

    ScratchDir dir_{"condorsim_cli"};
};

TEST_F(Cli, HelpDocumentsEveryOption) {
    const Result r = condorsim("run --help");
    EXPECT_EQ(r.exit_code, 0);
    for (const char* option : {"--output", "--paths", "--seed", "--backend", "--precision", "--threads", "--set",
                               "--chunk-paths", "--devices", "SCENARIO"})
        EXPECT_NE(r.output.find(option), std::string::npos) << option;
}

TEST_F(Cli, InfoListsBackends) {
    const Result r = condorsim("info");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.output.find("cpu"), std::string::npos);
    EXPECT_NE(r.output.find("git commit"), std::string::npos);
}

// A scalar attribute or dataset of the file, by its key in read_h5's map.
template <class T>
T h5_scalar(const H5Contents& h5, const std::string& key) {
    const auto& bytes = h5.at(key);
    T value{};
    EXPECT_EQ(bytes.size(), sizeof(T)) << key;
    std::memcpy(&value, bytes.data(), std::min(bytes.size(), sizeof(T)));
    return value;
}

TEST_F(Cli, DefaultScenarioRunsWithoutArguments) {
    const Result r = condorsim("run --paths 2048 --backend cpu -o " + output_path());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const H5Contents h5 = read_h5(output_path());
    ASSERT_TRUE(h5.count("/@file_type"));
    EXPECT_TRUE(h5.count("/statistics/daily/vix_quantiles"));
    EXPECT_TRUE(h5.count("/paths/spx"));
    EXPECT_TRUE(h5.count("/scenario/text"));
    EXPECT_NE(r.output.find("VIX"), std::string::npos);
    // The default runs the product: the naked condor and the ALVH on the same paths.
    EXPECT_TRUE(h5.count("/strategies/naked/spike_revert/exit_day_histogram"));
    EXPECT_TRUE(h5.count("/comparisons/alvh_vs_naked/all/pnl_diff_ci"));
    EXPECT_TRUE(h5.count("/paths/strategies/alvh/pnl"));
    EXPECT_EQ(h5_scalar<int>(h5, "/@entry_day"), 200);
    const auto verdict_at = r.output.find("verdict: alvh vs naked on the same 2048 paths");
    ASSERT_NE(verdict_at, std::string::npos) << r.output;
    // `condorsim report` prints the same summary from the file.
    const Result report = condorsim("report " + output_path());
    ASSERT_EQ(report.exit_code, 0) << report.output;
    const std::string summary = r.output.substr(r.output.find("strategies (P&L"), std::string::npos);
    const std::string table = summary.substr(0, summary.find("  wrote "));
    EXPECT_NE(report.output.find(table), std::string::npos) << report.output;
}

TEST_F(Cli, ReportRejectsAFileThatIsNotAResultsFile) {
    const std::string path = write_scenario("not_results.h5", "plain text");
    const Result r = condorsim("report " + path);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.output.find("cannot open as an HDF5 file"), std::string::npos) << r.output;
}

TEST_F(Cli, FellerViolationIsAWarningNotAnError) {
    const std::string path = write_scenario("feller.toml", base_scenario_toml());
    const Result run = condorsim("run " + path + " --paths 1024 --set model.sigma_x=1.0 -q -o " + output_path());
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NE(run.output.find("Feller"), std::string::npos) << run.output;
    EXPECT_TRUE(fs::exists(output_path()));
}

TEST_F(Cli, RepeatedSetOverridesAllApplyAndAreRecorded) {
    const Result r =
        condorsim("run --paths 1024 -q --set run.days=40 --set model.rho=-0.5 --set run.measure=Q -o " + output_path());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const H5Contents h5 = read_h5(output_path());
    const auto& bytes = h5.at("/scenario/overrides");
    const std::string overrides(bytes.begin(), bytes.end());
    EXPECT_NE(overrides.find("run.days=40\nmodel.rho=-0.5\nrun.measure=Q\nrun.paths=1024"), std::string::npos)
        << overrides;
    EXPECT_EQ(h5_scalar<int>(h5, "/@days"), 240) << "the default's 200 warm-up days, then run.days";
}

// --devices takes a count or "all"; on the CPU backend it is a warning, and the
// file records the one runner that ran.
TEST_F(Cli, DevicesOptionIsCheckedAndRecorded) {
    const std::string path = write_scenario("plain.toml", base_scenario_toml());
    const Result zero = condorsim("run " + path + " --paths 1024 -q --devices 0 -o " + output_path());
    EXPECT_NE(zero.exit_code, 0);
    EXPECT_NE(zero.output.find("--devices"), std::string::npos) << zero.output;
    EXPECT_TRUE(directory_has_only_scenarios());
    const Result cpu = condorsim("run " + path + " --paths 1024 -q --backend cpu --devices 2 -o " + output_path());
    ASSERT_EQ(cpu.exit_code, 0) << cpu.output;
    EXPECT_NE(cpu.output.find("--devices 2 applies to the CUDA backend"), std::string::npos) << cpu.output;
    EXPECT_EQ(h5_scalar<int>(read_h5(output_path()), "/@devices"), 1);
}

TEST_F(Cli, PathsAndSeedOptionsWinOverSetOverrides) {
    // --paths and --seed are applied after every --set (docs/scenario-format.md).
    const Result r =
        condorsim("run --paths 1024 --seed 7 -q --set run.paths=3000 --set run.seed=9 -o " + output_path());
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const H5Contents h5 = read_h5(output_path());
    EXPECT_EQ(h5_scalar<std::uint64_t>(h5, "/@paths"), 1024u);
    EXPECT_EQ(h5_scalar<std::uint64_t>(h5, "/@seed"), 7u);
}

// The number after "key": in a one-line JSON object.
double json_value(const std::string& json, const std::string& key) {
    const auto at = json.find("\"" + key + "\": ");
    if (at == std::string::npos) ADD_FAILURE() << "no " << key << " in " << json;
    return at == std::string::npos ? std::nan("") : std::strtod(json.c_str() + at + key.size() + 4, nullptr);
}

TEST_F(Cli, PriceCommandPrintsJsonConsistentWithThePricer) {
    const std::string path = write_scenario("s.toml", base_scenario_toml());
    const std::string common =
        "price " + path + " --strike 95 --years 0.25 --x 0.05 --y 0.02 --json --set market.rate=0.03";
    const Result call = condorsim(common + " --instrument spx-call");
    const Result put = condorsim(common + " --instrument spx-put");
    ASSERT_EQ(call.exit_code, 0) << call.output;
    ASSERT_EQ(put.exit_code, 0) << put.output;
    const Scenario s = load_scenario_file(path, {"market.rate=0.03"});
    const AffineTransform model(risk_neutral_model(s));
    EXPECT_NEAR(json_value(call.output, "price"),
                price_european(model, OptionType::call, 100, 95, 0.25, 0.05, 0.02).price, 1e-12);
    const double forward = json_value(call.output, "forward"), discount = json_value(call.output, "discount");
    EXPECT_NEAR(forward, 100 * std::exp(0.03 * 0.25), 1e-12);
    EXPECT_NEAR(json_value(call.output, "price") - json_value(put.output, "price"), discount * (forward - 95), 1e-9);
    // One implied vol for the call and the put (parity), a call delta in (0, 1).
    EXPECT_NEAR(json_value(call.output, "implied_vol"), json_value(put.output, "implied_vol"), 1e-8);
    EXPECT_GT(json_value(call.output, "delta"), 0.5);
    EXPECT_LT(json_value(call.output, "delta"), 1.0);
    // C - P = S e^{-q T} - K e^{-r T}, so delta_C - delta_P = e^{-q T} = 1 (q = 0).
    EXPECT_NEAR(json_value(call.output, "delta") - json_value(put.output, "delta"), 1.0, 1e-6);
    EXPECT_GT(json_value(call.output, "vega"), 0);
    const VixCoefficients c = vix_coefficients(s.model.shared, s.model.q);
    EXPECT_NEAR(json_value(call.output, "vix"), 100 * std::sqrt(c.a + c.b_x * 0.05 + c.b_y * 0.02), 1e-10);

    const Result future = condorsim("price " + path + " --instrument vix-future --years 0.1 --x 0.05 --y 0.02 --json");
    ASSERT_EQ(future.exit_code, 0) << future.output;
    EXPECT_NEAR(json_value(future.output, "price"), vix_future(AffineTransform(risk_neutral_model(s)), 0.05, 0.02, 0.1),
                1e-12);
    const std::string vix_common =
        "price " + path + " --years 0.1 --x 0.05 --y 0.02 --strike 24 --json --set market.rate=0.03";
    const Result vix_call = condorsim(vix_common + " --instrument vix-call");
    const Result vix_put = condorsim(vix_common + " --instrument vix-put");
    ASSERT_EQ(vix_call.exit_code, 0) << vix_call.output;
    const double vix_discount = std::exp(-0.03 * 0.1);
    EXPECT_NEAR(json_value(vix_call.output, "forward"), json_value(future.output, "price"), 1e-12);
    EXPECT_NEAR(json_value(vix_call.output, "price"),
                vix_discount * vix_call_undiscounted(AffineTransform(risk_neutral_model(s)), 0.05, 0.02, 0.1, 24),
                1e-12);
    EXPECT_NEAR(json_value(vix_call.output, "price") - json_value(vix_put.output, "price"),
                vix_discount * (json_value(future.output, "price") - 24), 1e-9);
    EXPECT_NEAR(json_value(vix_call.output, "implied_vol"), json_value(vix_put.output, "implied_vol"), 1e-8);
    EXPECT_NEAR(json_value(vix_call.output, "vvix"), vvix(AffineTransform(risk_neutral_model(s)), 0.05, 0.02), 1e-12);
    EXPECT_NE(condorsim("price --instrument vix-future --years 0.1 --strike 20").exit_code, 0);
    EXPECT_NE(condorsim("price --instrument spx-call --years 0.1").output.find("--strike is required"),
              std::string::npos);

    // The kernels' table and the exact pricer agree within the table's bound.
    const std::string no_strike = "price " + path + " --years 0.25 --x 0.05 --y 0.02 --json --set market.rate=0.03";
    for (const char* strike : {"80", "95", "110"}) {
        const Result table = condorsim(no_strike + " --instrument spx-put --method table --strike " + strike);
        const Result exact = condorsim(no_strike + " --instrument spx-put --strike " + strike);
        ASSERT_EQ(table.exit_code, 0) << table.output;
        EXPECT_NE(table.output.find("\"method\": \"table\""), std::string::npos);
        EXPECT_NEAR(json_value(table.output, "implied_vol"), json_value(exact.output, "implied_vol"), 5e-4) << strike;
    }
    for (const char* instrument : {"vix-call", "vix-put"})
        for (const char* strike : {"18", "24", "35"}) {
            const std::string request = no_strike + " --instrument " + instrument + " --strike " + strike;
            const Result table = condorsim(request + " --method table");
            const Result exact = condorsim(request);
            ASSERT_EQ(table.exit_code, 0) << table.output;
            EXPECT_NE(table.output.find("\"method\": \"table\""), std::string::npos);
            const double price = json_value(exact.output, "price");
            EXPECT_NEAR(json_value(table.output, "price"), price, std::max(0.005 * price, 0.01))
                << instrument << " " << strike;
            EXPECT_NEAR(json_value(table.output, "forward"), json_value(exact.output, "forward"), 0.01);
        }
    const Result outside = condorsim("price --instrument spx-call --strike 5000 --years 2 --method table");
    EXPECT_NE(outside.exit_code, 0);
    EXPECT_NE(outside.output.find("--years: 2 is outside the table's range"), std::string::npos) << outside.output;

    for (const char* nan_input :
         {"--years 0.25 --strike nan", "--years 0.25 --x nan --strike 5000", "--years nan --strike 5000"}) {
        const Result r = condorsim(std::string("price --instrument spx-call ") + nan_input);
        EXPECT_NE(r.exit_code, 0) << nan_input;
        EXPECT_NE(r.output.find("must be a finite number"), std::string::npos) << r.output;
    }

    const Result bad = condorsim("price --instrument spx-call --strike -5 --years 0.25");
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_NE(bad.output.find("--strike"), std::string::npos) << bad.output;
    const Result bad_set = condorsim("price --instrument spx-call --strike 5000 --years 0.25 --set model.rho=2");
    EXPECT_EQ(bad_set.exit_code, 2);
    EXPECT_NE(bad_set.output.find("model.rho"), std::string::npos) << bad_set.output;
}

struct BadCase {
    const char* name;
    std::string from, to;  // replacement in the base scenario ("" = append `to`)
    const char* set;       // or a --set override
    const char* key;       // the key the message must name
};

std::string apply(const BadCase& c) {
    std::string text = base_scenario_toml();
    if (c.from.empty()) return text + c.to;
    const auto at = text.find(c.from);
    if (at == std::string::npos) ADD_FAILURE() << "no '" << c.from << "' in the base scenario";
    return text.replace(at, c.from.size(), c.to);
}

TEST_F(Cli, BadInputExitsNonZeroNamesTheKeyAndWritesNothing) {
    const BadCase cases[] = {
        {"unknown_key", "", "\n[extra]\nfoo = 1\n", nullptr, "extra"},
        {"unknown_nested_key", "eta = 0.0", "eta = 0.0\nkappa_z = 1.0", nullptr, "model.p.kappa_z"},
        {"wrong_type", "rho = -0.7", "rho = \"high\"", nullptr, "model.rho"},
        {"rho_too_large", "rho = -0.7", "rho = -1.0", nullptr, "model.rho"},
        {"negative_variance", "x0 = 0.04", "x0 = -0.01", nullptr, "state.x0"},
        {"zero_kappa", "kappa_x = 2.0", "kappa_x = 0.0", nullptr, "model.p.kappa_x"},
        {"missing_key", "spot = 100.0\n", "", nullptr, "market.spot"},
        {"event_after_horizon", "", "\n[[event]]\nday = 400\nprobability = 0.5\nsize_mean = 0.01\n", nullptr,
         "event[0].day"},
        {"malformed_toml", "spot = 100.0", "spot = = 100.0", nullptr, "test"},
        {"bad_override", "", "", "model.rho=1.5", "model.rho"},
        {"unknown_override", "", "", "model.p.bogus=1", "model.p.bogus"},
        {"overflowing_override", "", "", "run.seed=99999999999999999999", "run.seed"},
        {"huge_index_override", "", "", "event[99999999999999999999].day=5", "event[99999999999999999999].day"},
    };
    for (const BadCase& c : cases) {
        SCOPED_TRACE(c.name);
        const std::string path = write_scenario(std::string(c.name) == "malformed_toml" ? "test.toml" : "s.toml",
                                                c.set ? base_scenario_toml() : apply(c));
        std::string args = "run " + path + " --paths 1024 -o " + output_path();
        if (c.set) args += std::string(" --set ") + c.set;
        const Result r = condorsim(args);
        EXPECT_NE(r.exit_code, 0) << r.output;
        EXPECT_NE(r.output.find(c.key), std::string::npos) << r.output;
        EXPECT_NE(r.output.find("error"), std::string::npos) << r.output;
        EXPECT_FALSE(fs::exists(output_path()));
        EXPECT_TRUE(directory_has_only_scenarios());
    }
}

TEST_F(Cli, UnwritableOutputPathFailsBeforeTheRun) {
    const Result r = condorsim("run --paths 1024 -o " + (dir_.path() / "no_such_dir" / "out.h5").string());
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.output.find("no_such_dir"), std::string::npos) << r.output;
    EXPECT_TRUE(directory_has_only_scenarios());
}

TEST_F(Cli, MissingScenarioFileIsNamed) {
    const Result r = condorsim("run " + (dir_.path() / "absent.toml").string() + " -o " + output_path());
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.output.find("absent.toml"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace condor::test
