// Says whether two results.h5 files hold the same bits apart from /timings:
// every dataset's bytes and every attribute. The build and the machine that
// wrote a file (its git_commit, condorsim_version and device attributes) are
// shown when they differ but are not results, so that runs of two builds, or
// of one build on two thread counts, can be compared. The check behind "bit-identical"
// in docs/performance.md, runnable where the tests are not (a lent GPU machine,
// tools/device_job.sh).
// Usage: h5_same A.h5 B.h5   (exit 0: identical, 1: different, 2: unreadable)
#include <cstdio>
#include <set>

#include "tests/h5_compare.h"

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
    int differences = 0;
    for (const auto& [key, bytes] : a) {
        const auto other = b.find(key);
        if (other != b.end() && other->second == bytes) continue;
        if (provenance.count(key))
            std::printf("provenance differs: %s\n", key.c_str());
        else if (++differences <= 20)
            std::printf("differs: %s\n", key.c_str());
    }
    for (const auto& [key, bytes] : b)
        if (!a.count(key) && ++differences <= 20) std::printf("only in %s: %s\n", argv[2], key.c_str());
    std::printf("%zu datasets and attributes compared, /timings apart: %s\n", a.size(),
                differences ? "DIFFERENT" : "IDENTICAL");
    return differences ? 1 : 0;
}
