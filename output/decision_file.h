// The /decision group of a results file (sim/decision_analysis.h): which arm to choose at what
// price, and which evidence is worth collecting. Written by write_results, read back by
// read_results; both in output/results_file.cpp's file, here so that file stays one purpose.
//
// Layout:
//   /decision                 attrs effect (the improvement, e.g. "cases_averted"), baseline,
//                             parameters_drawn (int64 1: draws of uncertain parameters and
//                             chance; 0: chance alone)
//   /decision/arms            table [arm]: arm, status ("frontier", "dominated", "extendedly
//                             dominated"), compared_with (the frontier arm its ICER is against;
//                             "" for the first and for arms off the frontier), mean_cost and
//                             mean_effect (against the baseline), icer, probability_most_effective
//   /decision/acceptability   table [λ]: lambda, evpi, best_expected (the arm of highest expected
//                             net monetary benefit), then per arm "probability_best.<arm>" and
//                             "expected_nmb.<arm>"
//   /decision/evppi           table [λ]: lambda, then one column per uncertain parameter (its
//                             path): EVPPI at λ. Only with uncertain parameters.
//   /decision/prcc            table [arm · parameter]: arm, parameter, prcc, low, high (95%).
//                             Only with uncertain parameters.
#pragma once

#include <string>
#include <string_view>

#include "output/h5.h"
#include "sim/decision.h"

namespace fourp {

void write_decision(const h5::Handle& file, const DecisionAnalysis& d);

// Reads /decision. Throws h5::Error naming what is missing or inconsistent (the caller names
// the file).
DecisionAnalysis read_decision(const h5::Handle& file);

// "frontier", "dominated", "extendedly dominated".
std::string_view status_name(FrontierArm::Status s);

}  // namespace fourp
