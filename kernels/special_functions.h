// Special functions shared by both backends. Written here rather than taken from
// each platform's math library so that CPU and GPU draw the same numbers.
#pragma once

#include <cmath>

#include "kernels/platform.h"

namespace condor {

template <class Real>
struct Constants {
    static constexpr Real two_pi = Real(6.283185307179586476925286766559);
};

// Inverse of the standard normal CDF: Wichura (1988), Algorithm AS 241, PPND16,
// relative accuracy about 1e-16 on (0, 1).
template <class Real>
CONDOR_HD inline Real inverse_normal_cdf(Real p) {
    using std::log;
    using std::sqrt;
    const double q = double(p) - 0.5;
    if (fabs(q) <= 0.425) {
        const double r = 0.180625 - q * q;
        const double num = (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
                                45921.953931549871457) *
                                   r +
                               13731.693765509461125) *
                                  r +
                              1971.5909503065514427) *
                                 r +
                             133.14166789178437745) *
                                r +
                            3.387132872796366608);
        const double den = (((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
                                21213.794301586595867) *
                                   r +
                               5394.1960214247511077) *
                                  r +
                              687.1870074920579083) *
                                 r +
                             42.313330701600911252) *
                                r +
                            1.0);
        return Real(q * num / den);
    }
    double r = (q < 0) ? double(p) : 1.0 - double(p);
    r = sqrt(-log(r));
    double value;
    if (r <= 5.0) {
        r -= 1.6;
        value = (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
                     1.27045825245236838258) *
                        r +
                    3.64784832476320460504) *
                       r +
                   5.7694972214606914055) *
                      r +
                  4.6303378461565452959) *
                     r +
                 1.42343711074968357734) /
                (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
                     0.14810397642748007459) *
                        r +
                    0.68976733498510000455) *
                       r +
                   1.6763848301838038494) *
                      r +
                  2.05319162663775882187) *
                     r +
                 1.0);
    } else {
        r -= 5.0;
        value = (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
                     0.026532189526576123093) *
                        r +
                    0.29656057182850489123) *
                       r +
                   1.7848265399172913358) *
                      r +
                  5.4637849111641143699) *
                     r +
                 6.6579046435011037772) /
                (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
                     7.868691311456132591e-4) *
                        r +
                    0.0148753612908506148525) *
                       r +
                   0.13692988092273580531) *
                      r +
                  0.59983220655588793769) *
                     r +
                 1.0);
    }
    return Real(q < 0 ? -value : value);
}

// Two independent standard normals from two uniforms on (0, 1): Box & Muller (1958).
template <class Real>
CONDOR_HD CONDOR_INLINE void box_muller(Real u1, Real u2, Real& z1, Real& z2) {
    using std::cos;
    using std::log;
    using std::sin;
    using std::sqrt;
    const Real radius = sqrt(Real(-2) * log(u1));
    const Real angle = Constants<Real>::two_pi * u2;
    z1 = radius * cos(angle);
    z2 = radius * sin(angle);
}

// (1 - exp(-k t)) / (k t), continuous at k t = 0 where it equals 1: the average
// of exp(-k s) over s in [0, t].
CONDOR_HD inline double mean_decay_factor(double k, double t) {
    const double kt = k * t;
    if (fabs(kt) < 1e-8) return 1.0 - 0.5 * kt;
    return -expm1(-kt) / kt;
}

}  // namespace condor
