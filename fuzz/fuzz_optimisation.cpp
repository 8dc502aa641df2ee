// The optimisation-file parser on any bytes (a scenario it names is read from
// tests/data/optimisation/, e.g. tiny-scenario.yaml).
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "sim/optimisation_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  fourp::Diagnostics diag;
  (void)fourp::parse_optimisation_text(text, FOURP_SOURCE_DIR "/tests/data/optimisation/fuzz.yaml",
                                       fourp::fuzz::catalog(), diag);
  (void)diag.format();
  return 0;
}
