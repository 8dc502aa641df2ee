// The page of `fourp report calib.h5` (issue 12): what the data said about each parameter —
// prior and posterior overlaid, the contraction in words, a warning where the data say nothing —,
// each target against its 90% posterior predictive band, and the sampler's generations. One
// HTML file, no script, no network request, like every fourp report.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "output/calibration_results.h"

namespace fourp::report {

// Sentences per parameter: "The data narrowed model.denial from 0.52–0.85 to 0.61–0.72
// (90% intervals)." or "The data do not inform model.denial: …". A parameter is uninformed when
// its posterior 90% interval is at least 80% as wide as its prior's.
std::vector<std::string> calibration_findings(const CalibrationResults& r);

std::string render_calibration_report(const CalibrationResults& r);
void write_calibration_report(const CalibrationResults& r, const std::filesystem::path& path,
                              bool overwrite);

}  // namespace fourp::report
