// The pricing-table cache (host/table_cache.h): tables read back are the
// built tables' bytes, a run that loads them writes the same results.h5 as the
// run that built them, and a file that is damaged, truncated or made for
// another model is never used.
#include <gtest/gtest.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "host/build_info.h"
#include "host/pricing/spx_vol_table.h"
#include "host/pricing/vix_option_table.h"
#include "host/scenario.h"
#include "host/table_cache.h"
#include "tests/cli_helpers.h"
#include "tests/h5_compare.h"
#include "tests/scratch_dir.h"

namespace condor::test {
namespace {

template <class T>
bool same_bytes(const T* a, const T* b, std::size_t count) {
    return std::memcmp(a, b, count * sizeof(T)) == 0;
}

// Axes compared by field: their padding is not part of the table.
bool same_axes(const TableAxis* a, const TableAxis* b, int count) {
    for (int d = 0; d < count; ++d)
        if (!same_bytes(&a[d].first, &b[d].first, 1) || !same_bytes(&a[d].step, &b[d].step, 1) ||
            a[d].nodes != b[d].nodes)
            return false;
    return true;
}

// Small grids keep the builds short; the codec does not depend on their size.
TEST(TableCache, TablesReadBackBitForBit) {
    const Scenario s = load_scenario_text(default_scenario_text(), kDefaultScenarioName, {});
    const AffineTransform model(risk_neutral_model(s));
    SpxVolTableDomain spx_domain;
    spx_domain.tau_nodes = 5, spx_domain.x_nodes = 6, spx_domain.y_nodes = 6;
    VixOptionTableDomain vix_domain;
    vix_domain.states.tau_nodes = 5, vix_domain.states.x_nodes = 5, vix_domain.states.y_nodes = 5;
    const SpxVolTable spx(model, spx_domain);
    const VixOptionTable vix(model, vix_domain);

    TableArchiveWriter out;
    spx.write(out);
    vix.write(out);
    TableArchiveReader in(out.bytes());
    const SpxVolTable spx_back(in);
    const VixOptionTable vix_back(in);
    EXPECT_TRUE(in.at_end());

    const SpxVolTableView a = spx.view(), b = spx_back.view();
    EXPECT_TRUE(same_axes(a.axes, b.axes, 4));
    EXPECT_TRUE(same_bytes(a.ratio, b.ratio, spx.bytes() / sizeof(float)));
    EXPECT_EQ(spx.filled_nodes(), spx_back.filled_nodes());
    EXPECT_EQ(spx.bytes(), spx_back.bytes());

    const VixOptionTableView v = vix.view(), w = vix_back.view();
    const std::size_t states = std::size_t(v.axes[0].nodes) * v.axes[1].nodes * v.axes[2].nodes;
    EXPECT_TRUE(same_axes(v.axes, w.axes, 3));
    EXPECT_TRUE(same_axes(v.future.axes, w.future.axes, 3));
    EXPECT_EQ(v.levels, w.levels);
    EXPECT_TRUE(same_bytes(v.log_width, w.log_width, states));
    EXPECT_TRUE(same_bytes(v.quantiles, w.quantiles, states * v.levels * 2));
    EXPECT_TRUE(same_bytes(v.cubic_weight, w.cubic_weight, states / v.axes[0].nodes * (v.axes[0].nodes - 1)));
    const std::size_t future_nodes =
        std::size_t(v.future.axes[0].nodes) * v.future.axes[1].nodes * v.future.axes[2].nodes;
    EXPECT_TRUE(same_bytes(v.future.ratio, w.future.ratio, future_nodes));
    EXPECT_EQ(vix.bytes(), vix_back.bytes());
    EXPECT_EQ(vix.capped_states(), vix_back.capped_states());
    EXPECT_EQ(vix.largest_mean_shift(), vix_back.largest_mean_shift());

    // Writing what was read gives the same bytes, and short data is refused.
    TableArchiveWriter again;
    spx_back.write(again);
    vix_back.write(again);
    EXPECT_TRUE(again.bytes() == out.bytes());
    const std::string cut = out.bytes().substr(0, out.bytes().size() - 1);
    TableArchiveReader short_in(cut);
    const SpxVolTable first(short_in);
    EXPECT_THROW(VixOptionTable{short_in}, std::runtime_error);
}

// Every parameter of the Q model, and whether the VIX tables are wanted, is in the key.
TEST(TableCache, KeyChangesWithEveryModelParameter) {
    const Scenario s = load_scenario_text(default_scenario_text(), kDefaultScenarioName, {});
    const RiskNeutralModel model = risk_neutral_model(s);
    const std::string key = table_cache_key(model, true);
    EXPECT_EQ(std::strlen(build_info::table_sources), 64u);  // a SHA-256 of the sources, in hex
    EXPECT_NE(key.find(build_info::table_sources), std::string::npos);
    EXPECT_EQ(key, table_cache_key(model, true));
    EXPECT_NE(key, table_cache_key(model, false));
    for (std::size_t i = 0; i < sizeof model / sizeof(double); ++i) {
        RiskNeutralModel changed = model;
        double value;
        std::memcpy(&value, reinterpret_cast<const char*>(&changed) + i * sizeof(double), sizeof value);
        value = std::nextafter(value, 1e300);
        std::memcpy(reinterpret_cast<char*>(&changed) + i * sizeof(double), &value, sizeof value);
        EXPECT_NE(key, table_cache_key(changed, true)) << "double " << i << " of the model";
    }
}

std::string table_line(const std::string& output) {
    const std::size_t at = output.find("  pricing tables ", output.find("strategy kernel"));
    return at == std::string::npos ? "" : output.substr(at, output.find('\n', at) - at);
}

// The default scenario through the CLI: the first run builds and saves (and
// evicts the oldest files beyond 16), the second loads; a damaged or truncated
// file is rebuilt and replaced. Every results.h5 is the same apart from its timings.
TEST(TableCache, RunsThatLoadWriteTheSameResults) {
    const ScratchDir dir("table_cache");
    const std::string cache = dir.file("cache");
    auto run = [&](const std::string& name) {
        const Result r = condorsim("run --paths 2000 --table-cache " + cache + " -o " + dir.file(name));
        EXPECT_EQ(r.exit_code, 0) << r.output;
        return table_line(r.output);
    };
    auto results = [&](const std::string& name) { return without(read_h5(dir.file(name)), "/timings"); };

    // Files of 17 other models, older than any run: the save keeps the 16 newest files.
    std::filesystem::create_directories(cache);
    const auto long_ago = std::filesystem::file_time_type::clock::now() - std::chrono::hours(24);
    for (int i = 0; i < 17; ++i) {
        const std::string other = cache + "/tables-other" + std::to_string(i) + ".bin";
        std::ofstream(other) << "another model's tables";
        std::filesystem::last_write_time(other, long_ago + std::chrono::minutes(i));
    }
    const std::string built = run("built.h5");
    const std::string saved_to = "built, saved to ";
    ASSERT_NE(built.find(saved_to + cache), std::string::npos) << built;
    const std::string file = built.substr(built.find(saved_to) + saved_to.size());
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(cache), {}), 16);
    EXPECT_TRUE(std::filesystem::exists(file));
    EXPECT_FALSE(std::filesystem::exists(cache + "/tables-other0.bin"));  // the two oldest
    EXPECT_FALSE(std::filesystem::exists(cache + "/tables-other1.bin"));
    EXPECT_TRUE(std::filesystem::exists(cache + "/tables-other2.bin"));
    EXPECT_NE(run("loaded.h5").find("loaded from " + file), std::string::npos);
    EXPECT_TRUE(results("built.h5") == results("loaded.h5"));

    std::string bytes;
    {
        std::ifstream in(file, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    std::string damaged = bytes;
    damaged[damaged.size() / 2] ^= 1;
    std::ofstream(file, std::ios::binary | std::ios::trunc) << damaged;
    EXPECT_NE(run("after_damage.h5").find("the cached file was checksum does not match"), std::string::npos);
    EXPECT_TRUE(results("built.h5") == results("after_damage.h5"));

    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes.substr(0, bytes.size() / 3);
    EXPECT_NE(run("after_cut.h5").find("the cached file was truncated"), std::string::npos);
    EXPECT_NE(run("reloaded.h5").find("loaded from " + file), std::string::npos);
    EXPECT_TRUE(results("built.h5") == results("reloaded.h5"));
}

// A cache that cannot be written costs the build, not the run.
TEST(TableCache, UnwritableCacheStillRuns) {
    const ScratchDir dir("table_cache_unwritable");
    const std::string blocker = dir.write("not_a_dir", "a file where the cache folder would be");
    const Result r = condorsim("run --paths 1024 --table-cache " + blocker + "/cache -o " + dir.file("out.h5"));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_NE(table_line(r.output).find("built, not saved to the table cache"), std::string::npos) << r.output;
    EXPECT_TRUE(std::filesystem::exists(dir.file("out.h5")));
}

}  // namespace
}  // namespace condor::test
