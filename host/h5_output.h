// results.h5: the layout is documented in docs/results-format.md.
#pragma once

#include <string>

#include "host/engine.h"
#include "host/scenario.h"

namespace condor {

inline constexpr const char* kResultsFileType = "condorsim-results";
inline constexpr int kResultsFormatVersion = 1;

// An output file under construction: created (as a temporary file beside the
// target) before the run, so that an unwritable path fails at once; renamed to
// the target only by commit(). The destructor removes an uncommitted file.
class ResultsFile {
public:
    explicit ResultsFile(const std::string& path);  // throws std::runtime_error
    ~ResultsFile();
    ResultsFile(const ResultsFile&) = delete;
    ResultsFile& operator=(const ResultsFile&) = delete;

    void write(const Scenario& scenario, const RunOutput& output);
    void commit();

private:
    std::string path_, temp_path_;
    long long file_ = -1;  // hid_t
    bool committed_ = false;
};

}  // namespace condor
