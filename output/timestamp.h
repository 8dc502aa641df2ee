// The creation time written into results and sweep files.
#pragma once

#include <string>

namespace fourp {

// The current time as "YYYY-MM-DDTHH:MM:SSZ" (UTC), or SOURCE_DATE_EPOCH when set
// (reproducible-builds.org convention): then the same input writes byte-identical files, which
// is how the tests compare them.
std::string utc_now();

}  // namespace fourp
