// What `condorsim calibrate` writes: the scenario fragment with the fitted
// parameters (TOML), the fit report as a table, and the same in HDF5
// (layout in docs/calibration.md).
#pragma once

#include <ostream>
#include <string>

#include "host/calibration/calibrate.h"
#include "host/h5_file.h"

namespace condor {

// Where the data came from, for the report and the fragment's comments.
struct CalibrationInputs {
    std::string command_line;
    std::string vix_file, spx_file;
    std::string first_date, last_date;  // of the aligned history
    std::size_t days = 0;
};

// [model], [model.p], [model.q] and [state] with every key, fitted values and
// their standard errors in comments; with [market] and [run] it is a scenario.
std::string scenario_fragment(const CalibrationResult& result, const CalibrationInputs& inputs);

// Data vs model for every moment (with the model's Monte Carlo standard error
// and the distance in sampling sd), then the parameters with their standard errors.
void print_fit_report(std::ostream& out, const CalibrationResult& result, const CalibrationInputs& inputs);

// The report as group /calibration of an HDF5 file.
void write_fit_report(hid_t file, const CalibrationResult& result, const CalibrationInputs& inputs);

}  // namespace condor
