// The strategy sections of a scenario file ([trade], [classes], [[strategy]]):
// reading, trigger-condition compilation and cross-key checks. The format is
// docs/scenario-format.md, "Strategies".
#pragma once

#include <string>

#include "host/config_reader.h"
#include "host/scenario.h"

namespace condor {

// Reads [trade], [classes] and every [[strategy]] into `s`, compiling trigger
// conditions (problems are recorded in the reader, as for every other key).
void read_strategies(TableReader& top, Scenario& s);

// Checks across keys once everything is read (run.days against the condor
// lives, lookbacks against the warm-up, kernel limits); throws ScenarioError.
void check_strategies(Scenario& s, const ConfigReader& reader);

// Checks [precision] against the strategies; throws ScenarioError.
void check_precision(const Scenario& s, const ConfigReader& reader);

// Parses one condition ("vix crosses_above sma(vix,10)"), adding the market
// indicators it uses to `indicators` (deduplicated). Throws std::invalid_argument
// with a message that names what is wrong and what is allowed.
ConditionParams parse_condition(const std::string& text, std::vector<IndicatorSpec>& indicators);

// The longest lookback (trading days of history) an indicator needs to be complete.
int indicator_lookback(const IndicatorSpec& spec);

}  // namespace condor
