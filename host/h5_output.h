// results.h5: the layout is documented in docs/results-format.md.
#pragma once

#include <string>

#include "host/engine.h"
#include "host/h5_file.h"
#include "host/scenario.h"

namespace condor {

inline constexpr const char* kResultsFileType = "condorsim-results";
inline constexpr int kResultsFormatVersion = 1;

// results.h5 under construction: written atomically (h5::AtomicFile), so that
// an unwritable path fails before the run and a failed run leaves no file.
class ResultsFile {
public:
    explicit ResultsFile(const std::string& path);  // throws std::runtime_error

    void write(const Scenario& scenario, const RunOutput& output);
    void commit();

private:
    h5::AtomicFile file_;
};

}  // namespace condor
