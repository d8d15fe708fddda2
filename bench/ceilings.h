// Measured ceilings of the machine the benchmark runs on (bench/floor_model.h):
// a multiply-add loop, a special-function loop and a memory copy, in the
// precision of the workload, timed after a warm-up.
#pragma once

#include "bench/floor_model.h"

namespace condor::bench {

// All `threads` CPU threads together, built with the engine's compiler flags.
Ceilings measure_cpu_ceilings(int threads, bool single_precision);

#if defined(CONDOR_HAVE_CUDA)
// One GPU, timed with CUDA events.
Ceilings measure_cuda_ceilings(int device, bool single_precision);
#endif

}  // namespace condor::bench
