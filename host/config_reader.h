// Strict, typed reading of a TOML document, with messages "where: key: message".
//
// Reads never throw: the first problem is recorded and a harmless default is
// returned, so that a parser can read a whole document and then report the most
// useful error first (an unknown key explains a "missing" one: `kapa_x` for
// `kappa_x`). `check()` throws that error as a ScenarioError.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace condor {

// Allowed values of a real number: lo <(=) value <(=) hi.
struct RealRange {
    double lo;
    double hi;
    bool lo_open = false;
    bool hi_open = false;

    bool contains(double v) const;
    std::string describe() const;  // e.g. "[0, 1]", "(0, inf)"
};
RealRange at_least(double lo);      // [lo, inf)
RealRange greater_than(double lo);  // (lo, inf)
RealRange closed(double lo, double hi);
RealRange open(double lo, double hi);
RealRange any_finite();

class ConfigReader;

// One table of the document, under its dotted name ("model.p", "event[2]").
class TableReader {
public:
    TableReader(ConfigReader& reader, const toml::table* table, std::string name);

    double real(std::string_view key, RealRange range);
    double real_or(std::string_view key, double fallback, RealRange range);
    // `hi_label` names a bound taken from another key ("run.days"), shown in messages.
    std::int64_t integer(std::string_view key, std::int64_t lo, std::int64_t hi, std::string_view hi_label = {});
    std::int64_t integer_or(std::string_view key, std::int64_t fallback, std::int64_t lo, std::int64_t hi,
                            std::string_view hi_label = {});
    bool boolean_or(std::string_view key, bool fallback);
    // One of `allowed`, as written.
    std::string choice_or(std::string_view key, std::string_view fallback,
                          std::initializer_list<std::string_view> allowed);
    std::string string_or(std::string_view key, std::string_view fallback);
    // An array of strings; absent reads as empty.
    std::vector<std::string> string_list(std::string_view key);

    // Records `message` against `key` (as read), for checks a parser makes itself.
    void error(std::string_view key, const std::string& message);

    // A sub-table; an absent optional one reads as empty (every key takes its default).
    TableReader table(std::string_view key, bool required);
    // The elements of an array of tables ([[event]]), named "key[i]".
    std::vector<TableReader> array_of_tables(std::string_view key);

    bool has(std::string_view key) const;
    std::string key_name(std::string_view key) const;  // full dotted name

private:
    // `expected` describes a valid value ("a number in [0, 1]") for messages.
    const toml::node* find(std::string_view key, bool required, const std::string& expected);
    void record(std::string_view key);

    ConfigReader* reader_;
    const toml::table* table_;  // null for an absent optional table
    std::string name_;          // "" for the root
};

class ConfigReader {
public:
    // `source_name` names the document in messages ("scenarios/default.toml").
    ConfigReader(const toml::table& root, std::string source_name);

    TableReader root();

    // Throws the first recorded error, unknown keys first.
    void check() const;

    // "file:line" (or "--set 'k=v'") of a key read, else the document's name.
    std::string where(const std::string& key) const;
    [[noreturn]] void fail(const std::string& key, const std::string& message) const;

private:
    friend class TableReader;
    void record_error(const std::string& where, const std::string& key, const std::string& message);
    std::optional<std::string> unknown_key_error() const;
    void find_unknown(const toml::table& table, const std::string& name, std::optional<std::string>& error) const;
    std::string location(const toml::source_region& source) const;

    const toml::table* root_;
    std::string source_name_;
    std::map<std::string, std::string> where_;              // full key -> location
    std::map<std::string, std::vector<std::string>> read_;  // table name -> keys read, in order
    std::set<std::string> tables_read_;                     // tables (and array elements) read as such
    std::optional<std::string> first_error_;
};

// "where: key: message" — the one-line form of every scenario error.
std::string located_message(const std::string& where, const std::string& key, const std::string& message);

// `text` with control characters escaped (\n, \t, \x01), so it prints on one line.
std::string one_line(const std::string& text);

// A number as the user would write it (shortest round-trip form).
std::string format_number(double v);

}  // namespace condor
