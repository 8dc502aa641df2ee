// The sweep journal reader of `fourp sweep --resume` on any bytes, for the layout of a sweep of
// 2 samples x 3 arms x 2 replicates of tests/data/bad-sweeps/scenario.yaml. LLVMFuzzerInitialize
// writes a valid journal of that sweep (a few runs recorded) to $FOURP_FUZZ_SEED_DIR when set, as
// the seed scripts/fuzz.sh gives this target.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <vector>

#include "fuzz/fuzz_support.h"
#include "output/sweep_journal.h"
#include "sim/sweep.h"
#include "sim/sweep_runner.h"

namespace {
const fourp::SweepPlan& plan() {
  static const fourp::SweepPlan p = [] {
    fourp::Diagnostics diag;
    auto plan = fourp::parse_sweep_text(
        "scenario: scenario.yaml\nreplicates: 2\ndesign: {kind: grid}\n"
        "parameters:\n  model.denial: {values: [0.2, 0.5]}\n",
        FOURP_SOURCE_DIR "/tests/data/bad-sweeps/journal-fuzz.yaml", fourp::fuzz::catalog(), {},
        diag);
    if (diag.has_errors()) throw std::logic_error(diag.format());
    return plan;
  }();
  return p;
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* seeds = std::getenv("FOURP_FUZZ_SEED_DIR");
  if (!seeds) return 0;
  const auto path = std::filesystem::path(seeds) / "journal-seed";
  std::filesystem::remove(path);
  auto journal = fourp::SweepJournal::create(path, plan().layout, 0, 1);
  for (uint64_t run = 0; run < 3; ++run) {
    fourp::RunRecord r;
    r.run = run;
    r.ok = run != 1;
    if (r.ok)
      r.totals.assign(plan().layout.totals.size(), 1.0 + run);
    else
      r.error = "failed on purpose";
    journal.write(r);
  }
  journal.sync();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto path = fourp::fuzz::write_input("sweep.journal", data, size);
  try {
    auto journal = fourp::SweepJournal::open(path, plan().layout, 0, 1);
    uint64_t damaged = 0;
    const std::vector<fourp::RunStatus> status = journal.scan(&damaged);
    std::vector<fourp::RunRecord> records;
    std::vector<bool> present;
    journal.read(0, std::min<uint64_t>(status.size(), 64), records, present);
  } catch (const fourp::InputError&) {
  }
  return 0;
}
