// The calibration journal reader of `fourp calibrate --resume` on any bytes. LLVMFuzzerInitialize
// writes a valid journal of two small generations to $FOURP_FUZZ_SEED_DIR when set, as the seed
// scripts/fuzz.sh gives this target.
#include <cstdint>
#include <cstdlib>
#include <filesystem>

#include "fuzz/fuzz_support.h"
#include "output/calibration_journal.h"

namespace {
constexpr uint64_t kHash = 42;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* seeds = std::getenv("FOURP_FUZZ_SEED_DIR");
  if (!seeds) return 0;
  const auto path = std::filesystem::path(seeds) / "journal-seed";
  std::filesystem::remove(path);
  auto journal = fourp::CalibrationJournal::create(path, kHash);
  for (uint32_t t = 0; t < 2; ++t) {
    fourp::SmcGeneration g;
    g.generation = t;
    g.dimension = 2;
    g.temperature = t;
    g.z = g.theta = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    g.log_likelihood = {-1, -2, -3};
    g.log_weight = {-1.1, -1.1, -1.1};
    journal.write(g);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = fourp::fuzz::write_input("calibration.journal", data, size);
  try {
    (void)fourp::read_calibration_journal(path, kHash);
  } catch (const fourp::InputError&) {
  }
  return 0;
}
