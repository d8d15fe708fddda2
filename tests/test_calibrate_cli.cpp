// `condorsim calibrate` end to end on synthetic files: bad data is rejected
// with the file and line and leaves no output; a run writes a scenario
// fragment that loads and an HDF5 fit report.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "host/calibration/market_data.h"
#include "host/calibration/model_moments.h"
#include "tests/cli_helpers.h"
#include "tests/h5_compare.h"
#include "tests/scratch_dir.h"
#include "tests/sim_helpers.h"

namespace condor::test {
namespace {

class CalibrateCli : public ::testing::Test {
protected:
    void SetUp() override {
        // 600 weekdays of closes simulated from the default scenario.
        const std::size_t days = 600;
        std::vector<double> vix(days), spx(days);
        const Scenario s = calibration_scenario(scenario({}));
        simulate_history(s, days, 100, 7, vix.data(), spx.data());
        DayNumber date;
        parse_date("2001-01-01", date);
        std::ofstream v(dir_.file("vix.csv")), x(dir_.file("spx.csv"));
        v << "DATE,OPEN,HIGH,LOW,CLOSE\n";
        x << "Date,Open,High,Low,Close,Adj Close,Volume\n";
        for (std::size_t t = 0; t < days; ++date) {
            if ((date + 4) % 7 >= 5) continue;  // 1970-01-01 was a Thursday: skip Saturdays and Sundays
            const std::string d = format_date(date);
            v << d << ",0,0,0," << vix[t] << "\n";
            x << d << ",0,0,0," << spx[t] << "," << spx[t] << ",0\n";
            ++t;
        }
    }
    std::string path(const char* name) const { return dir_.file(name); }
    std::string write(const char* name, const std::string& text) { return dir_.write(name, text); }
    std::string args(const std::string& vix, const std::string& spx, const std::string& extra = "") const {
        return "calibrate --vix " + vix + " --spx " + spx + " -o " + path("fit.toml") +
               " --histories 8 --max-iterations 1 --starts 1 --fit model.sigma_x " + extra;
    }
    bool only_inputs() const { return dir_.holds_only(".csv"); }

    ScratchDir dir_{"condorsim_calibrate"};
};

TEST_F(CalibrateCli, BadDataIsNamedAndLeavesNoFile) {
    const std::string vix = path("vix.csv"), spx = path("spx.csv");
    struct Case {
        std::string args, message;
    };
    const std::vector<Case> cases = {
        {args(write("a.csv", "DATE,CLOSE\n2001-01-02,12\n2001-01-03,x1\n"), spx), "a.csv:3: unparsable close 'x1'"},
        {args(write("b.csv", "DATE,OPEN\n2001-01-02,12\n"), spx), "b.csv:1: no Close column"},
        {args(vix, write("c.csv", "Date,Close\n2001-01-02,1200\n2001-13-03,1201\n")),
         "c.csv:3: unparsable date '2001-13-03'"},
        {args(vix, write("d.csv", "Date,Close\n2001-01-02,1200\n2001-01-03,-5\n")),
         "d.csv:3: close must be a positive number"},
        {args(vix, write("e.csv", "Date,Close\n1980-01-02,100\n1980-01-03,101\n")), "no common date"},
        {args(vix, spx, "--from 2001-01-01 --to 2001-06-30"), "at least 252 needed"},
        {args(vix, spx, "--from 2001/01/01"), "--from: unparsable date '2001/01/01'"},
        {args(vix, spx, "--from 2003-01-01 --to 2002-01-01"), "--from: 2003-01-01 is after --to"},
        {args(vix, spx, "--fit model.nonsense"), "model.nonsense is not a fittable parameter"},
        {args(path("absent.csv"), spx), "absent.csv: cannot open the file"},
        {"calibrate --vix " + vix + " --spx " + spx + " -o " + path("no_dir/fit.toml"), "no_dir/fit.toml"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(c.args);
        const Result r = condorsim(c.args);
        EXPECT_NE(r.exit_code, 0) << r.output;
        EXPECT_NE(r.output.find(c.message), std::string::npos) << r.output;
        EXPECT_NE(r.output.find("error"), std::string::npos) << r.output;
        EXPECT_TRUE(only_inputs());
    }
}

TEST_F(CalibrateCli, WritesAFragmentThatLoadsAndAnHdf5Report) {
    const Result r = condorsim(args(path("vix.csv"), path("spx.csv"), "--quiet"));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::ifstream in(path("fit.toml"));
    const std::string fragment((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(fragment.find("sigma_x = "), std::string::npos) << fragment;
    EXPECT_NE(fragment.find("# fitted"), std::string::npos) << fragment;
    EXPECT_NE(fragment.find("--fit model.sigma_x"), std::string::npos) << fragment;  // the command line
    // With [market] and [run] the fragment is a scenario.
    const Scenario fitted =
        load_scenario_text("[market]\nspot = 5000.0\nrate = 0.04\ndividend_yield = 0.013\n" + fragment, "fit.toml", {});
    EXPECT_GT(fitted.model.shared.sigma_x, 0.0);

    const H5Contents h5 = read_h5(path("fit.h5"));
    for (const char* name : {"/calibration/moment_names", "/calibration/moment_data", "/calibration/moment_model",
                             "/calibration/moment_model_se", "/calibration/parameter_value",
                             "/calibration/parameter_se", "/calibration/scenario_fragment", "/calibration@objective"})
        EXPECT_TRUE(h5.count(name)) << name;
}

}  // namespace
}  // namespace condor::test
