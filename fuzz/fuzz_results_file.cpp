// The results-file reader of `fourp report` (read, checked, its stored scenario parsed again,
// comparisons recomputed with the model's declarations) on any bytes: an InputError is the
// expected end of a damaged file. LLVMFuzzerInitialize writes the
// results file of a tiny run to $FOURP_FUZZ_SEED_DIR when set, as the seed scripts/fuzz.sh gives
// this target.
#include <cstdint>
#include <cstdlib>

#include "fuzz/fuzz_support.h"
#include "output/report_input.h"
#include "output/results_file.h"
#include "sim/comparison.h"
#include "sim/diagnostics.h"
#include "sim/runner.h"
#include "sim/scenario_parse.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* seeds = std::getenv("FOURP_FUZZ_SEED_DIR");
  if (!seeds) return 0;
  fourp::Diagnostics diag;
  const fourp::Scenario s = fourp::parse_scenario_text(
      "name: tiny\nseed: 5\nreplicates: 2\nsteps: 4\npopulation: {size: 60, communities: 2}\n"
      "network: {kind: villages, within_degree: 4}\n"
      "interventions: {media: {kind: outsider_campaign, reach: 0.5}}\n"
      "arms: {baseline: [], media: [media]}\noutputs: {snapshots: [0, 4]}\n",
      "seed.yaml", fourp::fuzz::catalog(), {}, diag);
  if (diag.has_errors()) return 0;
  fourp::RunOptions opt;
  opt.threads = 1;
  fourp::Results r = fourp::run_scenario(s, opt);
  r.comparisons = fourp::compare_arms(r);
  fourp::write_results(r, std::filesystem::path(seeds) / "results-seed.h5", true);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = fourp::fuzz::write_input("results.h5", data, size);
  try {
    fourp::Results r = fourp::read_results_for_report(path);
    fourp::Diagnostics diag, warnings;
    const fourp::Scenario s =
        fourp::parse_stored_scenario(r.scenario_yaml, fourp::fuzz::catalog(), diag);
    if (!diag.has_errors() && s.kind != nullptr) r.outputs = s.kind->outputs;
    fourp::complete_comparisons(r, path, warnings);
  } catch (const fourp::InputError&) {
  }
  return 0;
}
