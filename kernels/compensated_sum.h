// Neumaier's compensated sum, for block sums formed on either backend and for
// the host's sums of blocks (DESIGN §2: bit-identical for any chunk size).
#pragma once

#include "kernels/platform.h"

namespace condor {

// a * b rounded once. nvcc contracts a product that feeds an addition into one
// FMA (rounded once, not twice), so a square added to a sum would change its
// bits with inlining; __dmul_rn is never contracted. The host builds with
// -ffp-contract=off.
CONDOR_HD CONDOR_INLINE double product_rn(double a, double b) {
#if defined(__CUDA_ARCH__)
    return __dmul_rn(a, b);
#else
    return a * b;
#endif
}

// Neumaier's compensated sum (Neumaier 1974, "Rundungsfehleranalyse einiger
// Verfahren zur Summation endlicher Summen", ZAMM 54): the error stays O(eps)
// whatever the number of terms, where a plain running sum drifts as O(n eps).
class CompensatedSum {
public:
    CONDOR_HD void add(double v) {
        const double t = sum_ + v;
        const double big = sum_ < 0 ? -sum_ : sum_, small = v < 0 ? -v : v;
        compensation_ += (big >= small) ? (sum_ - t) + v : (v - t) + sum_;
        sum_ = t;
    }
    CONDOR_HD void add_square(double v) { add(product_rn(v, v)); }
    CONDOR_HD double value() const { return sum_ + compensation_; }

private:
    double sum_ = 0, compensation_ = 0;
};

}  // namespace condor
