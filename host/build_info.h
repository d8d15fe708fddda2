// Facts about this build, generated at build time (cmake/build_info.cmake).
#pragma once

namespace condor::build_info {
extern const char* const version;
extern const char* const git_commit;   // "unknown" outside a git checkout; "+dirty" if modified
extern const char* const build_type;
extern const char* const compiler;
extern const char* const cuda_architectures;  // empty without the CUDA backend
extern const char* const table_sources;       // SHA-256 over the engine's sources (host/, kernels/, cmake/)
}  // namespace condor::build_info
