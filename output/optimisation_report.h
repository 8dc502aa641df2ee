// The page of `fourp report opt.h5` (issue 13): the findings in plain words, the current against
// the optimal allocation by community and programme, the numbers chosen, the budget–outcome
// curve with its intervals and what each extra 100,000 of the currency buys between its points,
// which bounds bind, the confirmation on fresh replicates, and the best candidates evaluated.
// One HTML file, no script, no network request, like every fourp report.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "output/optimisation_results.h"

namespace fourp::report {

// Sentences: the optimum against the current plan, whether the confirmation bears it out,
// whether the budget and the choices' bounds bind, and what extra money buys along the curve.
std::vector<std::string> optimisation_findings(const OptimisationResults& r);

std::string render_optimisation_report(const OptimisationResults& r);
void write_optimisation_report(const OptimisationResults& r, const std::filesystem::path& path,
                               bool overwrite);

}  // namespace fourp::report
