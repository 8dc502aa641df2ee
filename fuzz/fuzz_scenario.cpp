// The scenario parser on any bytes: it must report errors, never crash, hang or grow large.
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "sim/scenario_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  fourp::Diagnostics diag;
  // A path inside tests/data, so that a network file named by the input resolves as in the
  // seeds (tests/data/bad/missing-network-file.yaml and the like).
  const fourp::Scenario s = fourp::parse_scenario_text(
      text, FOURP_SOURCE_DIR "/tests/data/bad/fuzz.yaml", fourp::fuzz::catalog(), {}, diag);
  if (!diag.has_errors()) (void)fourp::to_yaml(s);  // what `validate` prints
  (void)diag.format();
  return 0;
}
