// Small dense matrices for the calibration's least squares (a dozen parameters):
// row-major storage and Gaussian elimination with partial pivoting.
#pragma once

#include <cstddef>
#include <vector>

namespace condor {

struct DenseMatrix {
    std::size_t rows = 0, cols = 0;
    std::vector<double> values;  // row-major

    DenseMatrix() = default;
    DenseMatrix(std::size_t r, std::size_t c) : rows(r), cols(c), values(r * c, 0.0) {}
    double& operator()(std::size_t i, std::size_t j) { return values[i * cols + j]; }
    double operator()(std::size_t i, std::size_t j) const { return values[i * cols + j]; }
};

DenseMatrix transpose(const DenseMatrix& a);
DenseMatrix multiply(const DenseMatrix& a, const DenseMatrix& b);

// Solves a x = b for square a; false if a is singular to working precision
// (a pivot below 1e-13 of the largest entry of its column).
bool solve(DenseMatrix a, std::vector<double>& b);

// The inverse of square a; false if a is singular (as for solve).
bool invert(const DenseMatrix& a, DenseMatrix& inverse);

}  // namespace condor
