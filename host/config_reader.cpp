#include "host/config_reader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "host/scenario.h"

namespace condor {

// ---- ranges and formatting -------------------------------------------------

bool RealRange::contains(double v) const {
    if (!std::isfinite(v)) return false;
    const bool above = lo_open ? v > lo : v >= lo;
    const bool below = hi_open ? v < hi : v <= hi;
    return above && below;
}

std::string RealRange::describe() const {
    const auto bound = [](double v) {
        if (v == std::numeric_limits<double>::infinity()) return std::string("inf");
        if (v == -std::numeric_limits<double>::infinity()) return std::string("-inf");
        return format_number(v);
    };
    return std::string(lo_open ? "(" : "[") + bound(lo) + ", " + bound(hi) + (hi_open ? ")" : "]");
}

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}

RealRange at_least(double lo) { return {lo, kInf, false, true}; }
RealRange greater_than(double lo) { return {lo, kInf, true, true}; }
RealRange closed(double lo, double hi) { return {lo, hi, false, false}; }
RealRange open(double lo, double hi) { return {lo, hi, true, true}; }
RealRange any_finite() { return {-kInf, kInf, true, true}; }

std::string format_number(double v) {
    // The fewest digits that read back as v; plain notation for everyday magnitudes.
    const bool plain = std::fabs(v) >= 1e-4 && std::fabs(v) < 1e15;
    char buffer[32];
    for (int digits = 1; digits <= 17; ++digits) {
        std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
        if (std::strtod(buffer, nullptr) == v && !(plain && std::strchr(buffer, 'e'))) break;
    }
    return buffer;
}

std::string located_message(const std::string& where, const std::string& key, const std::string& message) {
    return one_line(where + ": " + key + ": " + message);
}

std::string one_line(const std::string& text) {
    // Keys and strings may hold newlines or tabs (quoted TOML keys, --set values);
    // a message must stay on one line, so control characters are shown escaped.
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\n')
            out += "\\n";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\r')
            out += "\\r";
        else if (u < 0x20 || u == 0x7f) {
            char hex[8];
            std::snprintf(hex, sizeof hex, "\\x%02x", u);
            out += hex;
        } else
            out += c;
    }
    return out;
}

namespace {

std::string type_name(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::date:
            return "a date";
        case toml::node_type::time:
            return "a time";
        case toml::node_type::date_time:
            return "a date-time";
        default:
            return "nothing";
    }
}

// A key as TOML would need it written: bare if it can be, else quoted
// (model."p.kappa_x", ""), so that a dotted name reads back unambiguously.
std::string key_segment(std::string_view key) {
    const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
    if (bare) return std::string(key);
    std::string quoted = "\"";
    for (const char c : key) quoted += (c == '"' || c == '\\') ? std::string("\\") + c : std::string(1, c);
    return quoted + "\"";
}

std::string join(const std::string& table, std::string_view key) {
    return table.empty() ? key_segment(key) : table + "." + key_segment(key);
}

std::string joined_list(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
    return out;
}

}  // namespace

// ---- TableReader -----------------------------------------------------------

TableReader::TableReader(ConfigReader& reader, const toml::table* table, std::string name)
    : reader_(&reader), table_(table), name_(std::move(name)) {
    reader_->read_[name_];  // an empty table still has a (possibly empty) list of keys
    if (table_) reader_->tables_read_.insert(name_);
}

std::string TableReader::key_name(std::string_view key) const { return join(name_, key); }

bool TableReader::has(std::string_view key) const { return table_ && table_->contains(key); }

void TableReader::record(std::string_view key) {
    auto& keys = reader_->read_[name_];
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.emplace_back(key);
}

const toml::node* TableReader::find(std::string_view key, bool required, const std::string& expected) {
    record(key);
    const std::string full = key_name(key);
    const toml::node* node = table_ ? table_->get(key) : nullptr;
    if (!node) {
        const std::string where = table_ ? reader_->location(table_->source()) : reader_->source_name_;
        reader_->where_[full] = where;
        if (required)
            reader_->record_error(
                where, full, "missing required key (" + expected + ")" + (name_.empty() ? "" : " in [" + name_ + "]"));
        return nullptr;
    }
    reader_->where_[full] = reader_->location(node->source());
    return node;
}

namespace {
std::string a_number_in(const RealRange& range) { return "a number in " + range.describe(); }
std::string integer_range(std::int64_t lo, std::int64_t hi, std::string_view hi_label) {
    return "[" + std::to_string(lo) + ", " + (hi_label.empty() ? "" : std::string(hi_label) + " = ") +
           std::to_string(hi) + "]";
}
}  // namespace

double TableReader::real(std::string_view key, RealRange range) {
    const toml::node* node = find(key, true, a_number_in(range));
    if (!node) return range.contains(0) ? 0 : range.lo;
    return real_or(key, 0, range);
}

double TableReader::real_or(std::string_view key, double fallback, RealRange range) {
    const toml::node* node = find(key, false, a_number_in(range));
    if (!node) return fallback;
    const std::string full = key_name(key);
    double v = 0;
    if (auto f = node->as_floating_point()) {
        v = f->get();
    } else if (auto i = node->as_integer()) {
        v = double(i->get());
    } else {
        reader_->record_error(reader_->where_[full], full,
                              "expected " + a_number_in(range) + ", got " + type_name(*node));
        return fallback;
    }
    if (!range.contains(v)) {
        reader_->record_error(reader_->where_[full], full,
                              format_number(v) + " is out of range; allowed " + range.describe());
        return fallback;
    }
    return v;
}

std::int64_t TableReader::integer(std::string_view key, std::int64_t lo, std::int64_t hi, std::string_view hi_label) {
    if (!find(key, true, "an integer in " + integer_range(lo, hi, hi_label))) return lo;
    return integer_or(key, lo, lo, hi, hi_label);
}

std::int64_t TableReader::integer_or(std::string_view key, std::int64_t fallback, std::int64_t lo, std::int64_t hi,
                                     std::string_view hi_label) {
    const std::string range = integer_range(lo, hi, hi_label);
    const toml::node* node = find(key, false, "an integer in " + range);
    if (!node) return fallback;
    const std::string full = key_name(key);
    const auto i = node->as_integer();
    if (!i) {
        reader_->record_error(reader_->where_[full], full,
                              "expected an integer in " + range + ", got " + type_name(*node));
        return fallback;
    }
    const std::int64_t v = i->get();
    if (v < lo || v > hi) {
        reader_->record_error(reader_->where_[full], full, std::to_string(v) + " is out of range; allowed " + range);
        return fallback;
    }
    return v;
}

bool TableReader::boolean_or(std::string_view key, bool fallback) {
    const toml::node* node = find(key, false, "true or false");
    if (!node) return fallback;
    const auto b = node->as_boolean();
    if (!b) {
        const std::string full = key_name(key);
        reader_->record_error(reader_->where_[full], full, "expected true or false, got " + type_name(*node));
        return fallback;
    }
    return b->get();
}

std::string TableReader::string_or(std::string_view key, std::string_view fallback) {
    const toml::node* node = find(key, false, "a string");
    if (!node) return std::string(fallback);
    const auto s = node->as_string();
    if (!s) {
        const std::string full = key_name(key);
        reader_->record_error(reader_->where_[full], full, "expected a string, got " + type_name(*node));
        return std::string(fallback);
    }
    return s->get();
}

std::vector<std::string> TableReader::string_list(std::string_view key) {
    std::vector<std::string> out;
    const toml::node* node = find(key, false, "an array of strings");
    if (!node) return out;
    const std::string full = key_name(key);
    const auto array = node->as_array();
    if (!array) {
        reader_->record_error(reader_->where_[full], full, "expected an array of strings, got " + type_name(*node));
        return out;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
        const auto s = (*array)[i].as_string();
        if (!s) {
            reader_->record_error(reader_->location((*array)[i].source()), full + "[" + std::to_string(i) + "]",
                                  "expected a string, got " + type_name((*array)[i]));
            continue;
        }
        out.push_back(s->get());
    }
    return out;
}

void TableReader::error(std::string_view key, const std::string& message) {
    const std::string full = key_name(key);
    reader_->record_error(reader_->where(full), full, message);
}

std::string TableReader::choice_or(std::string_view key, std::string_view fallback,
                                   std::initializer_list<std::string_view> allowed) {
    std::string list;
    for (std::string_view a : allowed) list += (list.empty() ? "\"" : ", \"") + std::string(a) + "\"";
    const toml::node* node = find(key, false, "one of " + list);
    if (!node) return std::string(fallback);
    const std::string full = key_name(key);
    const auto s = node->as_string();
    if (!s) {
        reader_->record_error(reader_->where_[full], full, "expected one of " + list + ", got " + type_name(*node));
        return std::string(fallback);
    }
    for (std::string_view a : allowed)
        if (s->get() == a) return s->get();
    reader_->record_error(reader_->where_[full], full, "\"" + s->get() + "\" is not allowed; use one of " + list);
    return std::string(fallback);
}

TableReader TableReader::table(std::string_view key, bool required) {
    const toml::node* node = find(key, required, "a table");
    if (!node) return TableReader(*reader_, nullptr, key_name(key));
    const auto t = node->as_table();
    if (!t) {
        const std::string full = key_name(key);
        reader_->record_error(reader_->where_[full], full, "expected a table, got " + type_name(*node));
    }
    return TableReader(*reader_, t, key_name(key));
}

std::vector<TableReader> TableReader::array_of_tables(std::string_view key) {
    std::vector<TableReader> out;
    const toml::node* node = find(key, false, "an array of tables");
    if (!node) return out;
    const std::string full = key_name(key);
    const auto array = node->as_array();
    if (!array) {
        reader_->record_error(reader_->where_[full], full,
                              "expected an array of tables ([[" + full + "]]), got " + type_name(*node));
        return out;
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
        const std::string element = full + "[" + std::to_string(i) + "]";
        const auto t = (*array)[i].as_table();
        if (!t) {
            reader_->record_error(reader_->location((*array)[i].source()), element,
                                  "expected a table, got " + type_name((*array)[i]));
            continue;
        }
        out.emplace_back(*reader_, t, element);
    }
    return out;
}

// ---- ConfigReader ----------------------------------------------------------

ConfigReader::ConfigReader(const toml::table& root, std::string source_name)
    : root_(&root), source_name_(std::move(source_name)) {}

TableReader ConfigReader::root() { return TableReader(*this, root_, ""); }

std::string ConfigReader::location(const toml::source_region& source) const {
    if (!source.path) return source_name_;
    const std::string& path = *source.path;
    // Values from the command line are named by their --set argument alone.
    if (path.rfind("--set '", 0) == 0) return path;
    return source.begin.line > 0 ? path + ":" + std::to_string(source.begin.line) : path;
}

std::string ConfigReader::where(const std::string& key) const {
    const auto it = where_.find(key);
    return it == where_.end() ? source_name_ : it->second;
}

void ConfigReader::fail(const std::string& key, const std::string& message) const {
    throw ScenarioError(located_message(where(key), key, message));
}

void ConfigReader::record_error(const std::string& where, const std::string& key, const std::string& message) {
    if (!first_error_) first_error_ = located_message(where, key, message);
}

void ConfigReader::find_unknown(const toml::table& table, const std::string& name,
                                std::optional<std::string>& error) const {
    const auto keys_it = read_.find(name);
    if (keys_it == read_.end() || !tables_read_.count(name)) return;
    const std::vector<std::string>& known = keys_it->second;
    for (auto&& [key, node] : table) {
        const std::string full = join(name, key.str());
        if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
            if (!error) {
                const std::string scope = name.empty() ? "at the top level" : "in [" + name + "]";
                error = located_message(location(key.source().path ? key.source() : node.source()), full,
                                        "unknown key; allowed " + scope + ": " + joined_list(known));
            }
            continue;
        }
        if (const auto t = node.as_table()) find_unknown(*t, full, error);
        if (const auto a = node.as_array())
            for (std::size_t i = 0; i < a->size(); ++i)
                if (const auto t = (*a)[i].as_table()) find_unknown(*t, full + "[" + std::to_string(i) + "]", error);
    }
}

std::optional<std::string> ConfigReader::unknown_key_error() const {
    std::optional<std::string> error;
    find_unknown(*root_, "", error);
    return error;
}

void ConfigReader::check() const {
    if (auto unknown = unknown_key_error()) throw ScenarioError(*unknown);
    if (first_error_) throw ScenarioError(*first_error_);
}

}  // namespace condor
