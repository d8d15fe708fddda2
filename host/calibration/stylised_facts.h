// The stylised facts of DESIGN §8, computed the same way from the real VIX and
// SPX closes and from the model's simulated histories: the calibration's
// moments (docs/calibration.md defines each one).
#pragma once

#include <array>
#include <cstddef>
#include <vector>

namespace condor {

enum Moment : int {
    kVixMean,
    kVixQ01,
    kVixQ05,
    kVixQ25,
    kVixQ50,
    kVixQ75,
    kVixQ95,
    kVixQ99,
    kVixShareAbove30,
    kLogVixHalfLife,      // trading days, from the AR(1) coefficient of daily log VIX
    kLogVixChangeSd,      // sd of daily changes of log VIX
    kLogVixVarianceRatio5,   // Var(5-day change of log VIX) / (5 Var(daily change))
    kLogVixVarianceRatio21,  // the same over 21 days
    kLogVixAutocorrelation63,  // autocorrelation of log VIX at a lag of 63 trading days
    kSpikesPerYear,       // spike episodes per 252 trading days
    kSpikeHalfRetrace,    // median trading days from a spike's peak to half retraced
    kSpikeHalfRetraceMean,  // mean of the same (smoother in the parameters than the median)
    kSpxVixCorrelation,   // corr(daily SPX log return, daily VIX change)
    kVixAboveRv21Share,   // share of days VIX > SPX vol realised over the next 21 days
    kVixMinusRv21,        // mean of VIX - that realised vol, vol points
    kSpxVol,              // sd of daily SPX log returns x sqrt(252), percent
    kSpxSkew,             // skewness of daily SPX log returns
    kSpxExcessKurtosis,   // excess kurtosis of daily SPX log returns
    kMomentCount
};

struct MomentInfo {
    const char* name;         // short identifier (HDF5, reports)
    const char* description;  // with its unit
};
const MomentInfo& moment_info(int moment);

using MomentVector = std::array<double, kMomentCount>;

// Spike rule (DESIGN §8): day t triggers when VIX_t >= 1.8 x the median of
// VIX over days t-25 .. t-6 (20 closes), outside an episode in progress.
inline constexpr double kSpikeRatio = 1.8;
inline constexpr int kSpikeWindowFar = 25, kSpikeWindowNear = 6;
inline constexpr int kRealisedVolDays = 21;

struct SpikeEpisode {
    std::size_t trigger_day = 0, peak_day = 0;
    double base = 0, peak = 0;      // the pre-spike median and the highest close, VIX points
    int half_retrace_days = -1;     // peak to the first close <= (base + peak) / 2; -1: not within the data
};

// Episodes in order. An episode runs from its trigger to the first close at or
// below the midpoint between its base and its running peak; the next can only
// trigger after that.
std::vector<SpikeEpisode> spike_episodes(const double* vix, std::size_t days);

// All moments of one history of `days` aligned daily closes (at least 60).
// Moments that the history cannot define (no completed spike episode) are NaN.
MomentVector stylised_facts(const double* vix, const double* spx, std::size_t days);

}  // namespace condor
