// The CSV reader of a calibration's targets (`targets: {file: targets.csv}`) on any bytes: the
// rows turned into YAML text, which is then loaded as the calibration reader loads it.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

#include "sim/targets_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  fourp::Diagnostics diag;
  if (auto rows = fourp::targets_as_yaml(text, "fuzz.csv", diag)) {
    try {
      (void)YAML::Load(rows->yaml);
    } catch (const YAML::Exception&) {  // reported as an error by the calibration reader
    }
    for (size_t l = 0; l < rows->rows.size(); ++l) (void)rows->csv_loc(int(l) + 1, 40, "fuzz.csv");
  }
  (void)diag.format();
  return 0;
}
