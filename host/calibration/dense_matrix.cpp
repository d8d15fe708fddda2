#include "host/calibration/dense_matrix.h"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace condor {

DenseMatrix transpose(const DenseMatrix& a) {
    DenseMatrix t(a.cols, a.rows);
    for (std::size_t i = 0; i < a.rows; ++i)
        for (std::size_t j = 0; j < a.cols; ++j) t(j, i) = a(i, j);
    return t;
}

DenseMatrix multiply(const DenseMatrix& a, const DenseMatrix& b) {
    if (a.cols != b.rows) throw std::invalid_argument("multiply: inner dimensions differ");
    DenseMatrix c(a.rows, b.cols);
    for (std::size_t i = 0; i < a.rows; ++i)
        for (std::size_t k = 0; k < a.cols; ++k)
            for (std::size_t j = 0; j < b.cols; ++j) c(i, j) += a(i, k) * b(k, j);
    return c;
}

namespace {

// Eliminates a in place with partial pivoting, applying the same row operations
// to the columns of rhs (n x m). Back-substitutes into rhs.
bool eliminate(DenseMatrix& a, DenseMatrix& rhs) {
    const std::size_t n = a.rows;
    for (std::size_t k = 0; k < n; ++k) {
        std::size_t pivot = k;
        double scale = 0;
        for (std::size_t i = k; i < n; ++i) {
            scale = std::max(scale, std::abs(a(i, k)));
            if (std::abs(a(i, k)) > std::abs(a(pivot, k))) pivot = i;
        }
        if (!(std::abs(a(pivot, k)) > 1e-13 * scale) || scale == 0) return false;
        for (std::size_t j = 0; j < n; ++j) std::swap(a(k, j), a(pivot, j));
        for (std::size_t j = 0; j < rhs.cols; ++j) std::swap(rhs(k, j), rhs(pivot, j));
        for (std::size_t i = k + 1; i < n; ++i) {
            const double f = a(i, k) / a(k, k);
            for (std::size_t j = k; j < n; ++j) a(i, j) -= f * a(k, j);
            for (std::size_t j = 0; j < rhs.cols; ++j) rhs(i, j) -= f * rhs(k, j);
        }
    }
    for (std::size_t k = n; k-- > 0;)
        for (std::size_t j = 0; j < rhs.cols; ++j) {
            double v = rhs(k, j);
            for (std::size_t c = k + 1; c < n; ++c) v -= a(k, c) * rhs(c, j);
            rhs(k, j) = v / a(k, k);
        }
    return true;
}

}  // namespace

bool solve(DenseMatrix a, std::vector<double>& b) {
    if (a.rows != a.cols || b.size() != a.rows) throw std::invalid_argument("solve: shapes differ");
    DenseMatrix rhs(b.size(), 1);
    rhs.values = b;
    if (!eliminate(a, rhs)) return false;
    b = rhs.values;
    return true;
}

bool invert(const DenseMatrix& a, DenseMatrix& inverse) {
    if (a.rows != a.cols) throw std::invalid_argument("invert: not square");
    DenseMatrix work = a;
    inverse = DenseMatrix(a.rows, a.rows);
    for (std::size_t i = 0; i < a.rows; ++i) inverse(i, i) = 1;
    return eliminate(work, inverse);
}

}  // namespace condor
