// Says whether two results.h5 files hold the same bits apart from /timings:
// every dataset's bytes and every attribute. The build and the machine that
// wrote a file (its git_commit, condorsim_version and device attributes) are
// shown when they differ but are not results, so that runs of two builds, or
// of one build on two thread counts, can be compared. The check behind "bit-identical"
// in docs/performance.md, runnable where the tests are not (a lent GPU machine,
// tools/device_job.sh).
// For datasets and attributes of floating-point numbers that differ, it prints
// the largest relative difference between corresponding elements, so that a
// change in the last bits can be told from a change in the results.
// Usage: h5_same A.h5 B.h5   (exit 0: identical, 1: different, 2: unreadable)
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <set>

#include "tests/h5_compare.h"

namespace {

// The size of the floating-point elements of "/path" or "/path@attr" in `file`
// (8 or 4), 0 for any other type.
std::size_t float_size(const char* file, const std::string& key) {
    const hid_t f = H5Fopen(file, H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) return 0;
    const std::size_t at = key.find('@');
    const std::string path = at == std::string::npos ? key : key.substr(0, at);
    const hid_t object = H5Oopen(f, path.empty() ? "/" : path.c_str(), H5P_DEFAULT);
    std::size_t size = 0;
    if (object >= 0) {
        const hid_t holder =
            at == std::string::npos ? object : H5Aopen(object, key.substr(at + 1).c_str(), H5P_DEFAULT);
        const hid_t type = at == std::string::npos ? H5Dget_type(holder) : H5Aget_type(holder);
        if (type >= 0 && H5Tget_class(type) == H5T_FLOAT) size = H5Tget_size(type);
        if (type >= 0) H5Tclose(type);
        if (at != std::string::npos && holder >= 0) H5Aclose(holder);
        H5Oclose(object);
    }
    H5Fclose(f);
    return size == 8 || size == 4 ? size : 0;
}

// max over elements of |a - b| / max(|a|, |b|) (0 where both are 0, 1 where one is NaN).
template <class Real>
double largest_relative_difference(const std::vector<unsigned char>& a, const std::vector<unsigned char>& b) {
    double worst = 0;
    for (std::size_t i = 0; i + sizeof(Real) <= std::min(a.size(), b.size()); i += sizeof(Real)) {
        Real x, y;
        std::memcpy(&x, &a[i], sizeof x);
        std::memcpy(&y, &b[i], sizeof y);
        const double scale = std::max(std::fabs(double(x)), std::fabs(double(y)));
        if (std::isnan(double(x)) != std::isnan(double(y))) worst = std::max(worst, 1.0);
        if (scale > 0) worst = std::max(worst, std::fabs(double(x) - double(y)) / scale);
    }
    return worst;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace condor::test;
    if (argc != 3) {
        std::fprintf(stderr, "usage: h5_same A.h5 B.h5\n");
        return 2;
    }
    const H5Contents a = without(read_h5(argv[1]), "/timings");
    const H5Contents b = without(read_h5(argv[2]), "/timings");
    if (a.empty() || b.empty()) {
        std::fprintf(stderr, "h5_same: cannot read %s\n", a.empty() ? argv[1] : argv[2]);
        return 2;
    }
    const std::set<std::string> provenance = {"/@git_commit", "/@condorsim_version", "/@device"};
    int differences = 0, not_floating = 0;
    double worst = 0;
    std::string worst_key;
    for (const auto& [key, bytes] : a) {
        const auto other = b.find(key);
        if (other != b.end() && other->second == bytes) continue;
        if (provenance.count(key)) {
            std::printf("provenance differs: %s\n", key.c_str());
            continue;
        }
        const std::size_t size =
            other == b.end() || other->second.size() != bytes.size() ? 0 : float_size(argv[1], key);
        const double relative = size == 8   ? largest_relative_difference<double>(bytes, other->second)
                                : size == 4 ? largest_relative_difference<float>(bytes, other->second)
                                            : -1;
        if (relative > worst) worst = relative, worst_key = key;
        not_floating += relative < 0;
        if (++differences > 20) continue;
        if (relative >= 0)
            std::printf("differs: %s (largest relative difference %.2e)\n", key.c_str(), relative);
        else
            std::printf("differs: %s\n", key.c_str());
    }
    for (const auto& [key, bytes] : b)
        if (!a.count(key) && ++differences <= 20) std::printf("only in %s: %s\n", argv[2], key.c_str());
    if (differences > 20) std::printf("... %d differing in all\n", differences);
    if (differences) std::printf("%d of them not floating-point numbers of the same shape\n", not_floating);
    if (!worst_key.empty())
        std::printf("largest relative difference of the numbers: %.2e in %s\n", worst, worst_key.c_str());
    std::printf("%zu datasets and attributes compared, /timings apart: %s\n", a.size(),
                differences ? "DIFFERENT" : "IDENTICAL");
    return differences ? 1 : 0;
}
