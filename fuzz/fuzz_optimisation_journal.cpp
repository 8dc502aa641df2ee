// The optimisation journal reader of `fourp optimise --resume` on any bytes. LLVMFuzzerInitialize
// writes a valid journal of two small entries to $FOURP_FUZZ_SEED_DIR when set, as the seed
// scripts/fuzz.sh gives this target.
#include <cstdint>
#include <cstdlib>
#include <filesystem>

#include "fuzz/fuzz_support.h"
#include "output/optimisation_journal.h"

namespace {
constexpr uint64_t kHash = 42;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* seeds = std::getenv("FOURP_FUZZ_SEED_DIR");
  if (!seeds) return 0;
  const auto path = std::filesystem::path(seeds) / "journal-seed";
  std::filesystem::remove(path);
  auto journal = fourp::OptimisationJournal::create(path, kHash);
  for (uint32_t k = 0; k < 2; ++k) {
    fourp::JournalEntry e;
    e.evaluator = k;
    e.candidate.subsets = {{0, 2}, {1}};
    e.candidate.numbers = {3, 0.25};
    e.evaluation.ok = k == 0;
    e.evaluation.error = k == 0 ? "" : "replicate 1: injected";
    e.evaluation.objective = 12.5;
    e.evaluation.cost = 1000;
    e.evaluation.objective_by_replicate = {12, 13};
    e.evaluation.cost_by_replicate = {990, 1010};
    journal.write(e);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = fourp::fuzz::write_input("optimisation.journal", data, size);
  try {
    (void)fourp::read_optimisation_journal(path, kHash);
  } catch (const fourp::InputError&) {
  }
  return 0;
}
