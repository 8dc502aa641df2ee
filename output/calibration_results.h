// The results file of `fourp calibrate` (issue 12): every generation of the SMC sampler
// (sim/smc.h), the posterior, and each target against its posterior predictive band. Written
// atomically like every output (output/results_file.h write_atomically), read back by
// `fourp report`.
//
// Layout (format_version 1):
//   /                      attrs kind = "fourp calibration", format_version (i64), fourp_version,
//                          calibration (the file as given), scenario (normalised YAML), arm,
//                          seed (u64), particles (u32), replicates (u32), parameters and priors
//                          (string arrays: each calibrated path, its prior in words),
//                          created_utc
//   /generations           table [generation]: generation (u32), temperature, ess,
//                          acceptance_rate (f64), move_rounds (u32), evaluations,
//                          failed_evaluations (u64)
//   /generation_<t>        table [particle]: one f64 column per parameter (its path), then
//                          log_likelihood, weight (normalised; 0 for a failed particle)
//   /posterior             the last generation's table again: the weighted posterior sample
//   /targets               table [target]: target (its description), kind ("survey", "count"),
//                          observed (a survey's share saying yes, or the count), low, median,
//                          high (5%, 50%, 95% of the model's value over posterior particles)
//
//   pandas: pd.DataFrame(h5py.File("calib.h5")["posterior"][:])
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sim/smc.h"

namespace fourp {

inline constexpr int64_t kCalibrationFormatVersion = 1;

struct TargetBand {
  std::string target;  // "awareness, everyone, step 0 (96 of 400)"
  std::string kind;    // "survey" or "count"
  double observed = 0, low = 0, median = 0, high = 0;
};

struct CalibrationResults {
  std::string fourp_version, calibration_text, scenario_yaml, arm;
  uint64_t seed = 0;
  uint32_t particles = 0, replicates = 0;
  std::vector<std::string> parameters, priors;
  std::vector<SmcGeneration> generations;  // the posterior last
  std::vector<TargetBand> targets;
};

void write_calibration_results(const CalibrationResults& r, const std::filesystem::path& path,
                               bool overwrite);

// Throws InputError naming what is missing or damaged.
CalibrationResults read_calibration_results(const std::filesystem::path& path);

// The posterior of a calibration's results as a joint sample (`uncertainty: {from: calib.h5}`):
// the calibrated paths and the /posterior table's particles and weights. Throws
// std::runtime_error saying what is wrong (no such file, not a calibration, damaged), without
// the path: the scenario's message names it.
JointSample read_posterior_sample(const std::filesystem::path& path);

// Whether `path` is an HDF5 file with the attribute kind = "fourp calibration".
bool is_calibration_file(const std::filesystem::path& path);

}  // namespace fourp
