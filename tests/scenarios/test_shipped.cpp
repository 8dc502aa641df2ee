// Every shipped scenario parses and runs (with fewer replicates), and its results keep the
// model's invariants: shares in [0, 1], present + away + lost = N, partners ⊆ engaged,
// cumulative quantities never decrease.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

#include "sim/runner.h"
#include "sim/scenario_parse.h"
#include "tests/support/test_support.h"

using namespace fourp;
using namespace fourp::test;
namespace fs = std::filesystem;

namespace {
Scenario load(const fs::path& file, std::vector<std::string> sets) {
  Diagnostics diag;
  Scenario s = parse_scenario_file(file, catalog(), sets, diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  return s;
}

void check_invariants(const Results& r, uint32_t agents) {
  const size_t rows = r.rows();
  auto m = [&](const char* name) { return r.metric_index(name); };
  for (const ArmResult& arm : r.arms)
    for (const RunResult& run : arm.replicates) {
      INFO("arm " << arm.name);
      double cost = 0;
      for (size_t k = 0; k < rows; ++k) {
        auto v = [&](const char* name) { return run.series[m(name) * rows + k]; };
        for (const char* share : {"awareness", "otherness", "trust", "efficacy", "engaged"}) {
          CHECK(v(share) >= 0);
          CHECK(v(share) <= 1);
        }
        // present agents = engaged share's denominator; partners ⊆ engaged (a partner is engaged)
        const double away = v("away"), lost = v("lost");
        CHECK(away + lost <= agents);
        CHECK(v("partners") <= v("engaged") * (agents - away - lost) + 1e-6);
        CHECK(v("cost") >= cost);
        cost = v("cost");
        CHECK(v("prevented") <= v("approaches"));
        CHECK(v("exploited") + v("prevented") == v("approaches"));
      }
    }
}
}  // namespace

TEST_CASE("every shipped scenario runs", "[scenario]") {
  const fs::path dir = fs::path(FOURP_SOURCE_DIR) / "scenarios";
  int count = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    SECTION(entry.path().filename().string()) {
      Scenario s = load(entry.path(), {"replicates=2"});
      Results r = run_scenario(s, {});
      CHECK(r.arms.size() == s.arms.size());
      check_invariants(r, s.population.size);
      for (const Comparison& c : r.comparisons) CHECK_FALSE(c.differences.empty());
    }
  }
  CHECK(count >= 3);
}

TEST_CASE("the benchmark scenario is valid", "[unit]") {
  Scenario s = load(fs::path(FOURP_SOURCE_DIR) / "bench" / "million.yaml", {});
  CHECK(s.population.size == 1000000);
  CHECK(s.arms.size() == 1);
}
