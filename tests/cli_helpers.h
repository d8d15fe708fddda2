// Runs the condorsim binary the tests were built with and captures its output.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace condor::test {

struct Result {
    int exit_code;
    std::string output;  // stdout and stderr
};

inline Result condorsim(const std::string& args) {
    const std::string command = std::string(CONDORSIM_EXE) + " " + args + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    std::string output;
    char buffer[4096];
    while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
    const int status = pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace condor::test
