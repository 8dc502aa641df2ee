// The sensitivity sections of a sweep's report page (sweep_report.h), from the sweep file's
// /noise, /sobol and /morris tables (sweep_file.h):
//
//   noise    per metric and arm, the share of the variance over the sweep that is replicate noise
//   sobol    (sobol designs) per metric, the first-order and total indices of every parameter for
//            every arm as bars with bootstrap 95% intervals — only where determined (interval at
//            most 0.2 wide, moved at most 0.05 from N/2 base points); an undetermined index is
//            written out with the base samples it would need; a parameter an arm never reads is
//            "not used by this arm". Nothing is clipped: the axis spans every bar drawn.
//   morris   (morris designs) per metric, the μ*–σ chart of every parameter and arm with μ*'s
//            interval, and the numbers
//
//   html += noise_section(results) + sobol_section(results) + morris_section(results);
#pragma once

#include <string>

#include "output/sweep_reader.h"

namespace fourp::report {

// Each returns "" when the file has no such table.
std::string noise_section(const SweepResults& results);
std::string sobol_section(const SweepResults& results);
std::string morris_section(const SweepResults& results);

}  // namespace fourp::report
