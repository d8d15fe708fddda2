#include "host/calibration/market_data.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace condor {

namespace {

// Days from 1970-01-01 to year-month-day in the proleptic Gregorian calendar
// (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil).
DayNumber days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return DayNumber(era * 146097 + doe - 719468);
}

bool leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

std::string lower(std::string s) {
    for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string trim(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
    return s.substr(b, e - b);
}

std::vector<std::string> split_csv_line(const std::string& line) {
    std::vector<std::string> fields;
    std::stringstream in(line);
    std::string field;
    while (std::getline(in, field, ',')) fields.push_back(trim(field));
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    return fields;
}

bool parse_number(const std::string& text, double& out) {
    if (text.empty()) return false;
    errno = 0;
    char* end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return errno == 0 && end == text.c_str() + text.size();
}

[[noreturn]] void fail(const std::string& path, std::size_t line, const std::string& message) {
    throw DataError(path + ":" + std::to_string(line) + ": " + message);
}

}  // namespace

bool parse_date(const std::string& text, DayNumber& out) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) return false;
    const int y = std::stoi(text.substr(0, 4)), m = std::stoi(text.substr(5, 2)), d = std::stoi(text.substr(8, 2));
    static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1) return false;
    if (d > month_days[m - 1] + (m == 2 && leap(y) ? 1 : 0)) return false;
    out = days_from_civil(y, m, d);
    return true;
}

// Inverse of days_from_civil (same reference).
std::string format_date(DayNumber day) {
    const int z = day + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int d = doy - (153 * mp + 2) / 5 + 1;
    const int m = mp + (mp < 10 ? 3 : -9);
    const int y = yoe + era * 400 + (m <= 2);
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", y, m, d);
    return buffer;
}

CloseSeries read_close_series(const std::string& path, std::size_t min_rows) {
    std::ifstream in(path);
    if (!in) throw DataError(path + ": cannot open the file");
    CloseSeries out;
    out.source = path;
    std::string line;
    if (!std::getline(in, line)) fail(path, 1, "the file is empty (expected a header with Date and Close columns)");
    const std::vector<std::string> header = split_csv_line(line);
    int date_col = -1, close_col = -1;
    for (std::size_t i = 0; i < header.size(); ++i) {
        const std::string name = lower(header[i]);
        if (name == "date") date_col = int(i);
        if (name == "close") close_col = int(i);
    }
    if (date_col < 0) fail(path, 1, "no Date column in the header (found: " + trim(line) + ")");
    if (close_col < 0) fail(path, 1, "no Close column in the header (found: " + trim(line) + ")");
    const std::size_t needed = std::size_t(std::max(date_col, close_col)) + 1;
    for (std::size_t number = 2; std::getline(in, line); ++number) {
        if (trim(line).empty()) continue;
        const std::vector<std::string> fields = split_csv_line(line);
        if (fields.size() < needed)
            fail(path, number, "expected at least " + std::to_string(needed) + " columns, found " +
                                   std::to_string(fields.size()));
        DayNumber date;
        if (!parse_date(fields[date_col], date))
            fail(path, number, "unparsable date '" + fields[date_col] + "' (expected YYYY-MM-DD)");
        double close;
        if (!parse_number(fields[close_col], close))
            fail(path, number, "unparsable close '" + fields[close_col] + "'");
        if (!(close > 0) || !std::isfinite(close))
            fail(path, number, "close must be a positive number, got " + fields[close_col]);
        if (!out.dates.empty() && date <= out.dates.back())
            fail(path, number, "date " + fields[date_col] + " does not come after " + format_date(out.dates.back()) +
                                   " (rows must be in increasing date order)");
        out.dates.push_back(date);
        out.closes.push_back(close);
    }
    if (out.dates.size() < min_rows)
        throw DataError(path + ": " + std::to_string(out.dates.size()) + " data rows, at least " +
                        std::to_string(min_rows) + " needed");
    return out;
}

MarketHistory align_history(const CloseSeries& vix, const CloseSeries& spx, DayNumber from, DayNumber to,
                            std::size_t min_days) {
    MarketHistory h;
    std::size_t i = 0, j = 0;
    while (i < vix.dates.size() && j < spx.dates.size()) {
        if (vix.dates[i] < spx.dates[j]) {
            ++i;
        } else if (spx.dates[j] < vix.dates[i]) {
            ++j;
        } else {
            if (vix.dates[i] >= from && vix.dates[i] <= to) {
                h.dates.push_back(vix.dates[i]);
                h.vix.push_back(vix.closes[i]);
                h.spx.push_back(spx.closes[j]);
            }
            ++i, ++j;
        }
    }
    const std::string files = vix.source + " and " + spx.source;
    const std::string range = "between " + format_date(from) + " and " + format_date(to);
    if (h.dates.empty()) throw DataError(files + ": no common date " + range);
    if (h.dates.size() < min_days)
        throw DataError(files + ": " + std::to_string(h.dates.size()) + " common dates " + range + ", at least " +
                        std::to_string(min_days) + " needed");
    return h;
}

}  // namespace condor
