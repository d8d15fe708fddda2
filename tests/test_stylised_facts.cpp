// The stylised facts (DESIGN §8) on series whose values are known in closed
// form: planted spikes, an exact AR(1), a two-point return law.
#include <gtest/gtest.h>

#include <cmath>
#include <algorithm>
#include <random>
#include <vector>

#include "host/calibration/stylised_facts.h"

namespace condor {
namespace {

TEST(SpikeEpisodes, PlantedSpikesAndTheirRetrace) {
    std::vector<double> vix(80, 15.0);
    // Day 30 triggers (30 >= 1.8 x 15); the peak is day 31; half the rise,
    // (15 + 36) / 2 = 25.5, is retraced on day 33. Day 32 (28 >= 27) is inside
    // the episode and does not trigger another.
    vix[30] = 30, vix[31] = 36, vix[32] = 28, vix[33] = 25;
    // A second spike that never retraces before the data end.
    for (int t = 70; t < 80; ++t) vix[t] = 40;
    const std::vector<SpikeEpisode> e = spike_episodes(vix.data(), vix.size());
    ASSERT_EQ(e.size(), 2u);
    EXPECT_EQ(e[0].trigger_day, 30u);
    EXPECT_EQ(e[0].peak_day, 31u);
    EXPECT_DOUBLE_EQ(e[0].base, 15.0);
    EXPECT_DOUBLE_EQ(e[0].peak, 36.0);
    EXPECT_EQ(e[0].half_retrace_days, 2);
    EXPECT_EQ(e[1].trigger_day, 70u);
    EXPECT_EQ(e[1].half_retrace_days, -1);

    // A rise to 1.79 x the median is not a spike.
    std::vector<double> calm(60, 20.0);
    calm[40] = 20 * 1.79;
    EXPECT_TRUE(spike_episodes(calm.data(), calm.size()).empty());
}

TEST(StylisedFacts, LevelsTwoPointReturnsAndRealisedVol) {
    // SPX log returns alternate +-a: sd a, skewness 0, excess kurtosis -2, and
    // every 21-day realised vol is 100 a sqrt(252). VIX = 20 - 100 ln(S/S0):
    // its changes are -100 x the returns (correlation -1).
    const double a = 0.01;
    const std::size_t days = 1001;  // 1000 returns
    std::vector<double> spx(days), vix(days);
    double log_s = 0;
    for (std::size_t t = 0; t < days; ++t) {
        if (t > 0) log_s += t % 2 ? a : -a;
        spx[t] = 4000 * std::exp(log_s);
        vix[t] = 20 - 100 * log_s;
    }
    const MomentVector m = stylised_facts(vix.data(), spx.data(), days);
    const double rv = 100 * a * std::sqrt(252.0);
    EXPECT_NEAR(m[kSpxVixCorrelation], -1.0, 1e-12);
    EXPECT_NEAR(m[kSpxVol], rv * std::sqrt(1000.0 / 999.0), 1e-9);
    EXPECT_NEAR(m[kSpxSkew], 0.0, 1e-9);
    EXPECT_NEAR(m[kSpxExcessKurtosis], -2.0, 1e-9);
    EXPECT_NEAR(m[kVixAboveRv21Share], 1.0, 0.0);  // VIX is 19 or 20, above 15.87
    // VIX is 20 on days with an even index and 19 on odd ones.
    const double mean_vix = (501 * 20.0 + 500 * 19.0) / 1001;
    EXPECT_NEAR(m[kVixMean], mean_vix, 1e-12);
    // Days 0..979 have 21 days ahead: half at 20, half at 19.
    EXPECT_NEAR(m[kVixMinusRv21], 19.5 - rv, 1e-9);
    EXPECT_DOUBLE_EQ(m[kVixShareAbove30], 0.0);
    EXPECT_DOUBLE_EQ(m[kVixQ01], 19.0);
    EXPECT_DOUBLE_EQ(m[kVixQ99], 20.0);
    EXPECT_TRUE(std::isnan(m[kSpikeHalfRetrace]));  // no spike, no retrace
    EXPECT_DOUBLE_EQ(m[kSpikesPerYear], 0.0);
}

TEST(StylisedFacts, QuantilesAreType7) {
    // VIX = 10, 11, ..., 110 (shuffled): the type-7 quantile at p is 10 + 100 p.
    std::vector<double> vix(101), spx(101, 1000.0);
    for (int i = 0; i <= 100; ++i) vix[i] = 10 + i;
    std::shuffle(vix.begin(), vix.end(), std::mt19937(5));
    for (int i = 0; i <= 100; ++i) spx[i] = 1000 * std::exp(0.001 * ((i * 7) % 5));
    const MomentVector m = stylised_facts(vix.data(), spx.data(), vix.size());
    const double levels[] = {0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99};
    for (int i = 0; i < 7; ++i) EXPECT_NEAR(m[kVixQ01 + i], 10 + 100 * levels[i], 1e-12) << levels[i];
    EXPECT_DOUBLE_EQ(m[kVixMean], 60.0);
    EXPECT_DOUBLE_EQ(m[kVixShareAbove30], 80.0 / 101.0);
}

// Log VIX an exact Gaussian AR(1) with coefficient b: half-life ln 2 / -ln b,
// variance ratio VR(k) = (1 - b^k) / (k (1 - b)), autocorrelation b^63. Means
// over independent replications, within 4 standard errors of the replications.
TEST(StylisedFacts, PersistenceOfAnExactAr1) {
    const double b = 0.98, sd = 0.06, mean_log = std::log(18.0);
    const int replications = 16;
    const std::size_t days = 20000;
    std::mt19937_64 rng(11);
    std::normal_distribution<double> normal;
    std::vector<MomentVector> runs;
    for (int r = 0; r < replications; ++r) {
        std::vector<double> vix(days), spx(days);
        double l = mean_log + sd / std::sqrt(1 - b * b) * normal(rng);  // stationary start
        for (std::size_t t = 0; t < days; ++t) {
            l = mean_log + b * (l - mean_log) + (t ? sd * normal(rng) : 0.0);
            vix[t] = std::exp(l);
            spx[t] = 1000 * std::exp(0.01 * normal(rng));
        }
        runs.push_back(stylised_facts(vix.data(), spx.data(), days));
    }
    const auto check = [&](int moment, double expected) {
        double sum = 0, sq = 0;
        for (const MomentVector& m : runs) sum += m[moment];
        const double mean = sum / replications;
        for (const MomentVector& m : runs) sq += (m[moment] - mean) * (m[moment] - mean);
        const double se = std::sqrt(sq / (replications - 1) / replications);
        EXPECT_NEAR(mean, expected, 4 * se) << moment_info(moment).name << " se " << se;
    };
    check(kLogVixHalfLife, std::log(2.0) / -std::log(b));
    check(kLogVixVarianceRatio5, (1 - std::pow(b, 5)) / (5 * (1 - b)));
    check(kLogVixVarianceRatio21, (1 - std::pow(b, 21)) / (21 * (1 - b)));
    check(kLogVixAutocorrelation63, std::pow(b, 63));
    check(kLogVixChangeSd, sd * std::sqrt(2 / (1 + b)));  // Var(l_t - l_{t-1}) = 2 sd^2 / (1 + b)
}

}  // namespace
}  // namespace condor
