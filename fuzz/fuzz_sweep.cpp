// The sweep parser on any bytes (the scenario it names is read from tests/data/bad-sweeps/).
#include <cstdint>
#include <string>

#include "fuzz/fuzz_support.h"
#include "sim/sweep.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  fourp::Diagnostics diag;
  (void)fourp::parse_sweep_text(text, FOURP_SOURCE_DIR "/tests/data/bad-sweeps/fuzz.yaml",
                                fourp::fuzz::catalog(), {}, diag);
  (void)diag.format();
  return 0;
}
