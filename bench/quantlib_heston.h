// QuantLib's Heston path generation, the reference the paths-only CPU
// benchmark is measured against (issue: at least 10x faster per core).
// QuantLib is a benchmark- and test-only dependency.
#pragma once

namespace condor::bench {

struct HestonInputs {
    double spot, rate, dividend_yield;    // points, per year
    double v0, kappa, theta, sigma, rho;  // annual variance, per year, ..., correlation
};

struct QuantLibTiming {
    double seconds = 0;        // generating the paths and reading their terminal spots
    double mean_terminal = 0;  // mean terminal spot: keeps the work observable
};

// `paths` paths of `steps` equal steps over `years` from HestonProcess with
// Andersen's QE scheme and martingale correction (QuadraticExponentialMartingale),
// driven by MultiPathGenerator with QuantLib's pseudo-random sequence, on one thread.
QuantLibTiming time_quantlib_heston(const HestonInputs& in, long paths, int steps, double years);

}  // namespace condor::bench
