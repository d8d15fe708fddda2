#include "host/calibration/stylised_facts.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace condor {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kTradingDays = 252;

// Linear interpolation between order statistics (Hyndman & Fan 1996, type 7,
// the default of R and NumPy). `sorted` is ascending.
double quantile_sorted(const std::vector<double>& sorted, double level) {
    const double h = (sorted.size() - 1) * level;
    const std::size_t lo = std::size_t(std::floor(h));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

double mean_of(const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return s / double(v.size());
}

// Sample correlation of x[i] and y[i].
double correlation(const std::vector<double>& x, const std::vector<double>& y) {
    const double mx = mean_of(x), my = mean_of(y);
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0.0;
}

// Half-life in days of an AR(1) with coefficient b (OLS slope of l_t on
// l_{t-1}): ln 2 / -ln b, capped at 10^4 days where b >= 1.
double half_life_days(const std::vector<double>& level) {
    std::vector<double> before(level.begin(), level.end() - 1), after(level.begin() + 1, level.end());
    const double mb = mean_of(before), ma = mean_of(after);
    double sxy = 0, sxx = 0;
    for (std::size_t i = 0; i < before.size(); ++i) {
        sxy += (before[i] - mb) * (after[i] - ma);
        sxx += (before[i] - mb) * (before[i] - mb);
    }
    const double b = sxx > 0 ? sxy / sxx : 1.0;
    if (b <= 0) return 0.0;
    if (b >= 1) return 1e4;
    return std::min(1e4, std::log(2.0) / -std::log(b));
}

// Sample variance of the k-day changes l_{t+k} - l_t (overlapping).
double change_variance(const std::vector<double>& level, std::size_t k) {
    std::vector<double> change(level.size() - k);
    for (std::size_t t = 0; t + k < level.size(); ++t) change[t] = level[t + k] - level[t];
    const double mean = mean_of(change);
    double ss = 0;
    for (double c : change) ss += (c - mean) * (c - mean);
    return ss / double(change.size() - 1);
}

// Sample autocorrelation at lag k (Box & Jenkins: the lag-k autocovariance
// over the variance, both about the full-sample mean).
double autocorrelation(const std::vector<double>& level, std::size_t k) {
    const double mean = mean_of(level);
    double num = 0, den = 0;
    for (std::size_t t = 0; t < level.size(); ++t) {
        den += (level[t] - mean) * (level[t] - mean);
        if (t + k < level.size()) num += (level[t] - mean) * (level[t + k] - mean);
    }
    return den > 0 ? num / den : 0.0;
}

double median_of_window(const double* values, std::size_t count, double* scratch) {
    std::copy(values, values + count, scratch);
    const std::size_t mid = count / 2;
    std::nth_element(scratch, scratch + mid, scratch + count);
    const double upper = scratch[mid];
    if (count % 2) return upper;
    return 0.5 * (upper + *std::max_element(scratch, scratch + mid));
}

}  // namespace

const MomentInfo& moment_info(int moment) {
    static const MomentInfo info[kMomentCount] = {
        {"vix_mean", "mean VIX close, points"},
        {"vix_q01", "1% quantile of VIX closes, points"},
        {"vix_q05", "5% quantile of VIX closes, points"},
        {"vix_q25", "25% quantile of VIX closes, points"},
        {"vix_q50", "median VIX close, points"},
        {"vix_q75", "75% quantile of VIX closes, points"},
        {"vix_q95", "95% quantile of VIX closes, points"},
        {"vix_q99", "99% quantile of VIX closes, points"},
        {"vix_share_above_30", "share of days with VIX above 30"},
        {"log_vix_half_life", "AR(1) half-life of daily log VIX, trading days"},
        {"log_vix_change_sd", "sd of daily changes in log VIX"},
        {"log_vix_variance_ratio_5", "variance of 5-day changes in log VIX over 5 x that of daily changes"},
        {"log_vix_variance_ratio_21", "variance of 21-day changes in log VIX over 21 x that of daily changes"},
        {"log_vix_autocorrelation_63", "autocorrelation of log VIX at a lag of 63 trading days"},
        {"spikes_per_year", "spike episodes (VIX >= 1.8 x median of days t-25..t-6) per 252 days"},
        {"spike_half_retrace", "median trading days from a spike's peak to half retraced"},
        {"spike_half_retrace_mean", "mean trading days from a spike's peak to half retraced"},
        {"spx_vix_correlation", "correlation of daily SPX log returns with daily VIX changes"},
        {"vix_above_rv21_share", "share of days VIX exceeds SPX vol realised over the next 21 days"},
        {"vix_minus_rv21", "mean VIX minus next-21-day realised SPX vol, vol points"},
        {"spx_vol", "sd of daily SPX log returns x sqrt(252), percent"},
        {"spx_skew", "skewness of daily SPX log returns"},
        {"spx_excess_kurtosis", "excess kurtosis of daily SPX log returns"},
    };
    if (moment < 0 || moment >= kMomentCount) throw std::out_of_range("moment_info: no such moment");
    return info[moment];
}

std::vector<SpikeEpisode> spike_episodes(const double* vix, std::size_t days) {
    constexpr std::size_t window = kSpikeWindowFar - kSpikeWindowNear + 1;
    double scratch[window];
    std::vector<SpikeEpisode> out;
    for (std::size_t t = kSpikeWindowFar; t < days; ++t) {
        const double base = median_of_window(vix + t - kSpikeWindowFar, window, scratch);
        if (vix[t] < kSpikeRatio * base) continue;
        SpikeEpisode e;
        e.trigger_day = e.peak_day = t;
        e.base = base;
        e.peak = vix[t];
        std::size_t u = t + 1;
        for (; u < days; ++u) {
            if (vix[u] > e.peak) e.peak = vix[u], e.peak_day = u;
            if (vix[u] <= 0.5 * (e.base + e.peak)) {
                e.half_retrace_days = int(u - e.peak_day);
                break;
            }
        }
        out.push_back(e);
        t = u;  // the next episode triggers after this one ends
    }
    return out;
}

MomentVector stylised_facts(const double* vix, const double* spx, std::size_t days) {
    if (days < 60) throw std::invalid_argument("stylised_facts: at least 60 days are needed");
    MomentVector m;
    m.fill(kNaN);

    std::vector<double> sorted(vix, vix + days);
    std::sort(sorted.begin(), sorted.end());
    m[kVixMean] = mean_of(sorted);
    const double levels[] = {0.01, 0.05, 0.25, 0.50, 0.75, 0.95, 0.99};
    for (int i = 0; i < 7; ++i) m[kVixQ01 + i] = quantile_sorted(sorted, levels[i]);
    m[kVixShareAbove30] = double(std::count_if(vix, vix + days, [](double v) { return v > 30; })) / double(days);

    std::vector<double> log_vix(days), dlog_vix(days - 1), dvix(days - 1), ret(days - 1);
    for (std::size_t t = 0; t < days; ++t) log_vix[t] = std::log(vix[t]);
    for (std::size_t t = 1; t < days; ++t) {
        dlog_vix[t - 1] = log_vix[t] - log_vix[t - 1];
        dvix[t - 1] = vix[t] - vix[t - 1];
        ret[t - 1] = std::log(spx[t] / spx[t - 1]);
    }
    m[kLogVixHalfLife] = half_life_days(log_vix);
    const double mean_dlog = mean_of(dlog_vix);
    double ss = 0;
    for (double d : dlog_vix) ss += (d - mean_dlog) * (d - mean_dlog);
    m[kLogVixChangeSd] = std::sqrt(ss / double(dlog_vix.size() - 1));
    const double daily_variance = m[kLogVixChangeSd] * m[kLogVixChangeSd];
    m[kLogVixVarianceRatio5] = change_variance(log_vix, 5) / (5 * daily_variance);
    m[kLogVixVarianceRatio21] = change_variance(log_vix, 21) / (21 * daily_variance);
    m[kLogVixAutocorrelation63] = autocorrelation(log_vix, 63);

    const std::vector<SpikeEpisode> spikes = spike_episodes(vix, days);
    m[kSpikesPerYear] = double(spikes.size()) * kTradingDays / double(days - kSpikeWindowFar);
    std::vector<double> retrace;
    for (const SpikeEpisode& e : spikes)
        if (e.half_retrace_days >= 0) retrace.push_back(e.half_retrace_days);
    if (!retrace.empty()) {
        std::sort(retrace.begin(), retrace.end());
        m[kSpikeHalfRetrace] = quantile_sorted(retrace, 0.5);
        m[kSpikeHalfRetraceMean] = mean_of(retrace);
    }

    m[kSpxVixCorrelation] = correlation(ret, dvix);

    // Realised vol over days t+1..t+21 (returns ret[t] .. ret[t+20]), in vol points.
    double above = 0, gap = 0, window_sq = 0;
    std::size_t counted = 0;
    for (int i = 0; i < kRealisedVolDays && i < int(ret.size()); ++i) window_sq += ret[i] * ret[i];
    for (std::size_t t = 0; t + kRealisedVolDays < days; ++t) {
        const double rv = 100 * std::sqrt(std::max(0.0, window_sq) * kTradingDays / kRealisedVolDays);
        above += vix[t] > rv;
        gap += vix[t] - rv;
        ++counted;
        if (t + kRealisedVolDays < ret.size())
            window_sq += ret[t + kRealisedVolDays] * ret[t + kRealisedVolDays] - ret[t] * ret[t];
    }
    m[kVixAboveRv21Share] = above / double(counted);
    m[kVixMinusRv21] = gap / double(counted);

    const double mr = mean_of(ret);
    double m2 = 0, m3 = 0, m4 = 0;
    for (double r : ret) {
        const double d = r - mr;
        m2 += d * d, m3 += d * d * d, m4 += d * d * d * d;
    }
    const double n = double(ret.size());
    m2 /= n, m3 /= n, m4 /= n;
    m[kSpxVol] = 100 * std::sqrt(m2 * n / (n - 1) * kTradingDays);
    m[kSpxSkew] = m3 / std::pow(m2, 1.5);
    m[kSpxExcessKurtosis] = m4 / (m2 * m2) - 3;
    return m;
}

}  // namespace condor
