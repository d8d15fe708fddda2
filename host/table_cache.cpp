#include "host/table_cache.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "host/build_info.h"
#include "host/pricing/table_archive.h"

namespace condor {
namespace {

constexpr char kMagic[] = "condorsim pricing tables 1\n";
// Files kept per cache folder (about 38 MB each with the VIX tables): a sweep
// over many models must not fill the disk.
constexpr std::size_t kMaxCachedFiles = 16;

// FNV-1a (Fowler, Noll, Vo) over 8-byte words, then the tail bytes: a checksum
// against truncated or damaged files, not against tampering.
std::uint64_t checksum(std::string_view bytes) {
    constexpr std::uint64_t kPrime = 0x100000001b3ull;
    std::uint64_t h = 0xcbf29ce484222325ull;
    std::size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        std::uint64_t word;
        std::memcpy(&word, bytes.data() + i, 8);
        h = (h ^ word) * kPrime;
    }
    for (; i < bytes.size(); ++i) h = (h ^ std::uint8_t(bytes[i])) * kPrime;
    return h;
}

// The processor features the C library picks its exp, log and sincos by, and
// those this build was compiled for: either can move a table's last bits.
std::string instruction_set() {
    std::string s = "compiled for";
#if defined(__AVX512F__)
    s += " avx512f";
#endif
#if defined(__AVX2__)
    s += " avx2";
#endif
#if defined(__FMA__)
    s += " fma";
#endif
#if defined(__x86_64__)
    s += " x86-64; running on";
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) s += " avx512f";
    if (__builtin_cpu_supports("avx2")) s += " avx2";
    if (__builtin_cpu_supports("fma")) s += " fma";
#else
    s += " a non-x86 processor";
#endif
    return s;
}

std::string hex_bytes(const void* data, std::size_t size) {
    std::string out;
    char digits[3];
    for (std::size_t i = 0; i < size; ++i) {
        std::snprintf(digits, sizeof digits, "%02x", static_cast<const unsigned char*>(data)[i]);
        out += digits;
    }
    return out;
}

std::string cache_file_name(const std::string& key) {
    char name[64];
    std::snprintf(name, sizeof name, "tables-%016" PRIx64 ".bin", checksum(key));
    return name;
}

void append_u64(std::string& out, std::uint64_t value) { out.append(reinterpret_cast<const char*>(&value), 8); }

// The file: magic line, key length and key, payload length and payload, checksum of the payload.
std::string file_contents(const std::string& key, const std::string& payload) {
    std::string out = kMagic;
    append_u64(out, key.size());
    out += key;
    append_u64(out, payload.size());
    out += payload;
    append_u64(out, checksum(payload));
    return out;
}

// The payload of `contents` if it is a whole file for `key`; empty with `why`
// otherwise. A view into `contents`: the tables are 38 MB, copied once, into
// their own arrays.
std::string_view payload_for(const std::string& contents, const std::string& key, std::string& why) {
    std::size_t at = sizeof kMagic - 1;
    auto read_u64 = [&](std::uint64_t& value) {
        if (contents.size() - at < 8) return false;
        std::memcpy(&value, contents.data() + at, 8);
        at += 8;
        return true;
    };
    std::uint64_t key_size = 0, payload_size = 0, sum = 0;
    if (contents.compare(0, at, kMagic) != 0 || !read_u64(key_size) || contents.size() - at < key_size) {
        why = "not a table cache file of this format";
        return {};
    }
    if (contents.compare(at, key_size, key) != 0) {
        why = "written for another model or build";
        return {};
    }
    at += key_size;
    if (!read_u64(payload_size) || contents.size() - at < payload_size) {
        why = "truncated";
        return {};
    }
    const std::string_view payload(contents.data() + at, payload_size);
    at += payload_size;
    if (!read_u64(sum) || at != contents.size() || sum != checksum(payload)) {
        why = "checksum does not match";
        return {};
    }
    return payload;
}

// The whole file in one read into a buffer of its size.
bool read_file(const std::filesystem::path& path, std::string& out) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) return false;
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    out.resize(size);
    in.read(out.data(), std::streamsize(size));
    return std::uintmax_t(in.gcount()) == size;
}

// Writes beside `path` and renames into place; false with `why` on failure.
bool write_file_atomically(const std::filesystem::path& path, const std::string& contents, std::string& why) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    const std::filesystem::path temporary = path.string() + ".tmp" + std::to_string(getpid());
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out.write(contents.data(), std::streamsize(contents.size()));
        out.close();
        if (!out) {
            std::filesystem::remove(temporary, ec);
            why = "cannot write " + temporary.string();
            return false;
        }
    }
    std::filesystem::rename(temporary, path, ec);
    if (ec) {
        std::filesystem::remove(temporary, ec);
        why = "cannot rename into " + path.string();
        return false;
    }
    return true;
}

bool is_table_file(const std::filesystem::path& path) {
    return path.filename().string().rfind("tables-", 0) == 0 && path.extension() == ".bin";
}

// Removes the least recently used table files beyond kMaxCachedFiles (a load
// marks its file as used by touching its time).
void evict_old_files(const std::filesystem::path& dir) {
    std::error_code ec;
    std::vector<std::pair<std::filesystem::file_time_type, std::filesystem::path>> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        if (is_table_file(entry.path())) files.emplace_back(entry.last_write_time(ec), entry.path());
    }
    if (files.size() <= kMaxCachedFiles) return;
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (std::size_t i = kMaxCachedFiles; i < files.size(); ++i) std::filesystem::remove(files[i].second, ec);
}

std::shared_ptr<StrategyTables> tables_from(std::string_view payload, bool with_vix) {
    auto tables = std::make_shared<StrategyTables>();
    TableArchiveReader in(payload);
    tables->spx = std::make_unique<SpxVolTable>(in);
    if (with_vix) tables->vix = std::make_unique<VixOptionTable>(in);
    if (!in.at_end()) throw std::runtime_error("table data longer than its tables");
    return tables;
}

std::string payload_of(const StrategyTables& tables) {
    TableArchiveWriter out;
    tables.spx->write(out);
    if (tables.vix) tables.vix->write(out);
    return out.bytes();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

std::string table_cache_key(const RiskNeutralModel& model, bool with_vix_tables) {
    // The model's fields are all doubles, so its bytes hold no padding.
    static_assert(sizeof(RiskNeutralModel) % sizeof(double) == 0, "RiskNeutralModel: only doubles expected");
    std::string key = std::string("sources ") + build_info::table_sources + "\n";
    key += std::string("compiler ") + build_info::compiler + "\n";
    key += instruction_set() + "\n";
    key += "risk-neutral model " + hex_bytes(&model, sizeof model) + "\n";
    key += with_vix_tables ? "tables spx vix\n" : "tables spx\n";
    return key;
}

std::string default_table_cache_dir() {
    if (const char* dir = std::getenv("CONDORSIM_TABLE_CACHE"); dir && *dir) return dir;
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/condorsim";
    if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/condorsim";
    return {};
}

std::string table_cache_summary(const std::string& cache_dir) {
    if (cache_dir.empty()) return "none (neither $CONDORSIM_TABLE_CACHE, $XDG_CACHE_HOME nor $HOME is set)";
    std::error_code ec;
    std::size_t files = 0;
    std::uintmax_t bytes = 0;
    for (const auto& entry : std::filesystem::directory_iterator(cache_dir, ec)) {
        if (!is_table_file(entry.path())) continue;
        ++files;
        bytes += entry.file_size(ec);
    }
    char line[64];
    std::snprintf(line, sizeof line, " (%zu of at most %zu models, %.0f MB)", files, kMaxCachedFiles,
                  double(bytes) / 1e6);
    return cache_dir + line;
}

std::shared_ptr<const StrategyTables> load_or_build_strategy_tables(const Scenario& s, int threads,
                                                                    const std::string& cache_dir) {
    const auto start = std::chrono::steady_clock::now();
    const bool with_vix = any_vix_hedge(s);
    const std::string key = table_cache_key(risk_neutral_model(s), with_vix);
    const std::filesystem::path path = std::filesystem::path(cache_dir) / cache_file_name(key);

    std::string contents, why;
    if (read_file(path, contents)) {
        const std::string_view payload = payload_for(contents, key, why);
        if (!payload.empty()) {
            try {
                std::shared_ptr<StrategyTables> tables = tables_from(payload, with_vix);
                tables->build_seconds = seconds_since(start);
                tables->source = "loaded from " + path.string();
                std::error_code ec;
                std::filesystem::last_write_time(path, std::filesystem::file_time_type::clock::now(), ec);
                return tables;
            } catch (const std::exception& e) {
                why = e.what();
            }
        }
    }
    std::shared_ptr<StrategyTables> tables = build_strategy_tables(s, threads);
    std::string write_failure;
    if (write_file_atomically(path, file_contents(key, payload_of(*tables)), write_failure)) {
        evict_old_files(path.parent_path());
        tables->source =
            "built" + (why.empty() ? "" : " (the cached file was " + why + ")") + ", saved to " + path.string();
    } else {
        tables->source = "built, not saved to the table cache: " + write_failure;
    }
    tables->build_seconds = seconds_since(start);
    return tables;
}

}  // namespace condor
