// printf-style formatting into a std::string, for the printed reports. The
// format is checked against the arguments by the compiler.
#pragma once

#include <cstdarg>
#include <cstdio>
#include <string>

namespace condor {

inline std::string text_printf(const char* format, ...) __attribute__((format(printf, 1, 2)));
inline std::string text_printf(const char* format, ...) {
    char buffer[512];
    va_list args;
    va_start(args, format);
    std::vsnprintf(buffer, sizeof buffer, format, args);
    va_end(args);
    return buffer;
}

}  // namespace condor
