// The pricing tables on disk: a run whose risk-neutral model an earlier run
// has seen loads its tables instead of building them (on a CPU, seconds of
// every run with strategies; docs/performance.md).
//
// A file is named by a hash of its key and holds the key itself: this build's
// sources, compiler and instruction set, and every parameter the tables depend
// on (the Q model, and whether the VIX tables are needed; their domains are in
// the sources). Loaded tables are the built tables' bytes, so results are
// bit-identical either way. A file whose key, length or checksum does not match
// is rebuilt and replaced. Writes go to a temporary file renamed into place, so
// a concurrent run never reads half a file.
#pragma once

#include <memory>
#include <string>

#include "host/pricing/affine_transform.h"
#include "host/scenario.h"
#include "host/strategy_setup.h"

namespace condor {

// What a cache file must match, as text (written at its head).
std::string table_cache_key(const RiskNeutralModel& model, bool with_vix_tables);

// $CONDORSIM_TABLE_CACHE, else $XDG_CACHE_HOME/condorsim, else $HOME/.cache/condorsim;
// "" when none of them is set.
std::string default_table_cache_dir();

// One line for `condorsim info`: the folder, and the files and megabytes in it.
std::string table_cache_summary(const std::string& cache_dir);

// The scenario's tables from `cache_dir` when a file there matches, else built
// (with `threads` OpenMP threads, 0: all cores) and saved there. A cache that
// cannot be read or written costs the build and a note in `source`, never the run.
std::shared_ptr<const StrategyTables> load_or_build_strategy_tables(const Scenario& s, int threads,
                                                                    const std::string& cache_dir);

}  // namespace condor
