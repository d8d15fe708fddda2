#include "host/pricing/gauss_legendre.h"

#include <cmath>

namespace condor {

QuadratureRule gauss_legendre(int n) {
    QuadratureRule rule;
    rule.nodes.resize(n);
    rule.weights.resize(n);
    const double pi = 3.14159265358979323846;
    for (int i = 0; i < (n + 1) / 2; ++i) {
        // Tricomi's initial guess for the i-th root, then Newton on P_n.
        double z = std::cos(pi * (i + 0.75) / (n + 0.5));
        double derivative = 0;
        for (int iteration = 0; iteration < 100; ++iteration) {
            // P_n(z) and P_n'(z) by the three-term recurrence (A&S 22.7.10).
            double p0 = 1, p1 = z;
            for (int k = 2; k <= n; ++k) {
                const double p2 = ((2 * k - 1) * z * p1 - (k - 1) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            const double pn = n == 0 ? 1 : (n == 1 ? z : p1);
            const double pn_minus_1 = n == 1 ? 1 : p0;
            derivative = n * (z * pn - pn_minus_1) / (z * z - 1);
            const double step = pn / derivative;
            z -= step;
            if (std::fabs(step) < 1e-16) break;
        }
        // Weights on [-1, 1] are 2 / ((1 - z^2) P_n'(z)^2); halve them for [0, 1].
        const double w = 1.0 / ((1 - z * z) * derivative * derivative);
        rule.nodes[i] = 0.5 * (1 - z);
        rule.nodes[n - 1 - i] = 0.5 * (1 + z);
        rule.weights[i] = rule.weights[n - 1 - i] = w;
    }
    return rule;
}

}  // namespace condor
