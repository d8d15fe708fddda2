// A fresh temporary directory for one test, removed with its contents.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace condor::test {

class ScratchDir {
public:
    explicit ScratchDir(const std::string& prefix)
        : path_(std::filesystem::path(::testing::TempDir()) / (prefix + "_" + std::to_string(getpid()))) {
        std::filesystem::create_directories(path_);
    }
    ~ScratchDir() { std::filesystem::remove_all(path_); }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;

    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    // Writes `text` to file `name` and returns its path.
    std::string write(const std::string& name, const std::string& text) const {
        std::ofstream(path_ / name) << text;
        return file(name);
    }
    // True if every file in the directory ends with `extension` (e.g. ".toml").
    bool holds_only(const std::string& extension) const {
        for (const auto& entry : std::filesystem::directory_iterator(path_))
            if (entry.path().extension() != extension) return false;
        return true;
    }

private:
    std::filesystem::path path_;
};

}  // namespace condor::test
