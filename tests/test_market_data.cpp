// Reading daily closes (DESIGN §8): the format of ../shared/data, and every
// kind of bad file rejected with its file name and line.
#include <gtest/gtest.h>

#include <string>

#include "host/calibration/market_data.h"
#include "tests/scratch_dir.h"

namespace condor::test {
namespace {

class MarketData : public ::testing::Test {
protected:
    // The message of the DataError that reading `text` throws ("" if none).
    std::string error_of(const std::string& text, std::size_t min_rows = 2) {
        const std::string path = dir_.write("bad.csv", text);
        try {
            read_close_series(path, min_rows);
        } catch (const DataError& e) {
            return e.what();
        }
        return "";
    }

    ScratchDir dir_{"condorsim_data"};
};

TEST(Dates, ParseAndFormatRoundTrip) {
    DayNumber d;
    ASSERT_TRUE(parse_date("1970-01-01", d));
    EXPECT_EQ(d, 0);
    ASSERT_TRUE(parse_date("2000-03-01", d));
    EXPECT_EQ(d, 11017);  // 30 years of 365 days + 7 leap days (1972..1996) + Jan, Feb 2000 (leap)
    EXPECT_EQ(format_date(d), "2000-03-01");
    for (const char* text : {"1927-12-30", "1990-01-02", "2015-12-31", "2024-02-29", "1900-02-28"}) {
        ASSERT_TRUE(parse_date(text, d)) << text;
        EXPECT_EQ(format_date(d), text);
    }
    for (const char* bad : {"2015-02-29", "1900-02-29", "2015-13-01", "2015-00-10", "2015-04-31", "15-01-01",
                            "2015/01/01", "2015-1-1", "", "abcd-ef-gh"})
        EXPECT_FALSE(parse_date(bad, d)) << bad;
}

TEST_F(MarketData, ReadsTheSharedDataFormats) {
    const std::string vix = dir_.write("vix.csv",
                                  "DATE,OPEN,HIGH,LOW,CLOSE\n"
                                  "1990-01-02,17.240000,17.240000,17.240000,17.240000\n"
                                  "1990-01-03,18.190000,18.190000,18.190000,18.190000\n");
    const std::string spx = dir_.write("spx.csv",
                                  "Date,Open,High,Low,Close,Adj Close,Volume\n"
                                  "1990-01-02,353.4,359.7,351.9,359.69,359.69,162070000\n"
                                  "\n"
                                  "1990-01-03,359.69,360.59,357.89,358.76,358.76,192330000\n");
    const CloseSeries v = read_close_series(vix), s = read_close_series(spx);
    ASSERT_EQ(v.closes.size(), 2u);
    EXPECT_DOUBLE_EQ(v.closes[1], 18.19);
    ASSERT_EQ(s.closes.size(), 2u);
    EXPECT_DOUBLE_EQ(s.closes[0], 359.69);
    EXPECT_EQ(format_date(s.dates[1]), "1990-01-03");
}

TEST_F(MarketData, RejectsBadFilesNamingTheLine) {
    const std::string header = "Date,Close\n";
    EXPECT_NE(error_of("").find("bad.csv:1: the file is empty"), std::string::npos);
    EXPECT_NE(error_of("Day,Close\n2015-01-02,1\n").find("bad.csv:1: no Date column"), std::string::npos);
    EXPECT_NE(error_of("Date,Open\n2015-01-02,1\n").find("bad.csv:1: no Close column"), std::string::npos);
    EXPECT_NE(error_of(header + "2015-01-02,1\n2015-01-05\n").find("bad.csv:3: expected at least 2 columns"),
              std::string::npos);
    EXPECT_NE(error_of(header + "2015-01-02,1\n01/05/2015,2\n").find("bad.csv:3: unparsable date '01/05/2015'"),
              std::string::npos);
    EXPECT_NE(error_of(header + "2015-01-02,1\n2015-01-05,abc\n").find("bad.csv:3: unparsable close 'abc'"),
              std::string::npos);
    EXPECT_NE(error_of(header + "2015-01-02,12x\n").find("bad.csv:2: unparsable close '12x'"), std::string::npos);
    EXPECT_NE(error_of(header + "2015-01-02,0\n").find("bad.csv:2: close must be a positive number"),
              std::string::npos);
    EXPECT_NE(error_of(header + "2015-01-02,-3\n").find("bad.csv:2: close must be a positive number"),
              std::string::npos);
    EXPECT_NE(error_of(header + "2015-01-05,1\n2015-01-02,1\n").find("bad.csv:3: date 2015-01-02 does not come after"),
              std::string::npos);
    EXPECT_NE(error_of(header + "2015-01-05,1\n", 2).find("1 data rows, at least 2 needed"), std::string::npos);
    try {
        read_close_series(dir_.file("missing.csv"));
        FAIL() << "a missing file was read";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("missing.csv: cannot open the file"), std::string::npos);
    }
}

TEST(AlignHistory, KeepsCommonDatesInTheRange) {
    CloseSeries vix{"vix.csv", {1, 2, 4, 5, 7}, {10, 20, 40, 50, 70}};
    CloseSeries spx{"spx.csv", {0, 2, 3, 4, 5, 6, 7}, {100, 200, 300, 400, 500, 600, 700}};
    const MarketHistory h = align_history(vix, spx, 3, 100, 2);
    ASSERT_EQ(h.dates, (std::vector<DayNumber>{4, 5, 7}));
    EXPECT_EQ(h.vix, (std::vector<double>{40, 50, 70}));
    EXPECT_EQ(h.spx, (std::vector<double>{400, 500, 700}));

    try {
        align_history(vix, CloseSeries{"spx.csv", {100, 101}, {1, 2}}, 0, 1000, 1);
        FAIL() << "disjoint files aligned";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("vix.csv and spx.csv: no common date"), std::string::npos) << e.what();
    }
    try {
        align_history(vix, spx, 0, 1000, 10);
        FAIL() << "too short a history accepted";
    } catch (const DataError& e) {
        EXPECT_NE(std::string(e.what()).find("4 common dates"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("at least 10 needed"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace condor::test
