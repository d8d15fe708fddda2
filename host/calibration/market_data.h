// Daily closes from CSV files in the format of ../shared/data/ (DESIGN §8): a
// header row naming a date column ("Date"/"DATE") and a close column
// ("Close"/"CLOSE"), then one row per trading day, dates YYYY-MM-DD ascending.
// Any other columns are ignored, so longer files of the same format work as is.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace condor {

// Every rejection of a data file: what() is one line "file:line: message".
class DataError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A calendar date as days since 1970-01-01 (proleptic Gregorian).
using DayNumber = std::int32_t;

// "YYYY-MM-DD" -> day number; false if the text is not a valid date.
bool parse_date(const std::string& text, DayNumber& out);
std::string format_date(DayNumber day);

struct CloseSeries {
    std::string source;              // the file name, for messages
    std::vector<DayNumber> dates;    // strictly increasing
    std::vector<double> closes;      // > 0, index points
};

// Reads a CSV of daily closes. Throws DataError naming the file and line for a
// missing column, an unparsable date or number, a non-positive close, dates
// that do not increase, or fewer than `min_rows` data rows.
CloseSeries read_close_series(const std::string& path, std::size_t min_rows = 2);

// VIX and SPX closes on the dates both files hold, within [from, to].
struct MarketHistory {
    std::vector<DayNumber> dates;
    std::vector<double> vix;  // VIX points
    std::vector<double> spx;  // index points
};

// Aligns the two series on common dates in [from, to] (inclusive). Throws
// DataError if they share no date there or fewer than `min_days` dates.
MarketHistory align_history(const CloseSeries& vix, const CloseSeries& spx, DayNumber from, DayNumber to,
                            std::size_t min_days);

}  // namespace condor
