// Table rows where some nodes have no value (an implied vol that does not exist
// at double precision, deep in a wing): they copy the nearest valid node.
#pragma once

#include <vector>

namespace condor {

// Fills row[i] for every i with !valid[i] from the nearest valid node (ties: the
// higher index); returns how many it filled. A row with no valid node is left as is.
inline int fill_from_nearest_valid(float* row, const std::vector<bool>& valid) {
    const int nodes = int(valid.size());
    int filled = 0;
    for (int i = 0; i < nodes; ++i) {
        if (valid[i]) continue;
        ++filled;
        for (int step = 1; step < nodes; ++step) {
            if (i + step < nodes && valid[i + step]) {
                row[i] = row[i + step];
                break;
            }
            if (i - step >= 0 && valid[i - step]) {
                row[i] = row[i - step];
                break;
            }
        }
    }
    return filled;
}

}  // namespace condor
