// The network file reader (edge list, then the node -> community table) on any bytes. The input
// is split at its first NUL byte: edges before, communities after (none without a NUL).
#include <algorithm>
#include <cstdint>

#include "fuzz/fuzz_support.h"
#include "sim/network.h"
#include "sim/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const uint8_t* split = std::find(data, data + size, uint8_t{0});
  fourp::NetworkSpec spec;
  spec.kind = fourp::NetworkSpec::Kind::file;
  spec.path = fourp::fuzz::write_input("edges.txt", data, static_cast<size_t>(split - data));
  if (split != data + size)
    spec.communities = fourp::fuzz::write_input("communities.csv", split + 1,
                                                static_cast<size_t>(data + size - split - 1));
  fourp::Diagnostics diag;
  (void)fourp::read_network_file(spec, diag);
  (void)diag.format();
  return 0;
}
