// Arms against the baseline: Student-t intervals, paired differences, cases averted and cost per
// case averted (with its deterministic bootstrap).
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "sim/comparison.h"

using namespace fourp;

namespace {

// Results with totals only (all compare_arms reads): one vector of per-replicate values per
// total, for each arm.
Results with_totals(
    std::vector<std::string> total_names,
    const std::vector<std::pair<std::string, std::vector<std::vector<double>>>>& arms,
    std::string baseline = "baseline") {
  Results r;
  r.total_names = std::move(total_names);
  // Declared as the prevention model declares them: fewer `exploited` is better (the headline,
  // improved as cases averted), `cost_total` is the cost.
  for (const std::string& t : r.total_names)
    r.outputs.outcomes.push_back(
        {t, t, Scale::count, t == "exploited" ? Better::fewer : Better::neither});
  if (r.outputs.find_outcome("exploited")) {
    r.outputs.headline = "exploited";
    r.outputs.improvement = {"cases_averted", "cases averted", "cost_per_case_averted",
                             "cost per case averted"};
  }
  if (r.outputs.find_outcome("cost_total")) r.outputs.cost_outcome = "cost_total";
  r.baseline_arm = std::move(baseline);
  for (const auto& [name, per_total] : arms) {
    ArmResult a;
    a.name = name;
    const size_t reps = per_total.front().size();
    a.replicates.resize(reps);
    for (size_t rep = 0; rep < reps; ++rep)
      for (const auto& values : per_total) a.replicates[rep].totals.push_back(values[rep]);
    r.arms.push_back(std::move(a));
  }
  r.replicates = static_cast<uint32_t>(r.arms.front().replicates.size());
  return r;
}

const Difference& get(const Comparison& c, const std::string& quantity) {
  for (const Difference& d : c.differences)
    if (d.quantity == quantity) return d;
  FAIL("no difference named " << quantity);
  throw;  // unreachable
}

std::vector<std::string> quantities(const Comparison& c) {
  std::vector<std::string> q;
  for (const Difference& d : c.differences) q.push_back(d.quantity);
  return q;
}

}  // namespace

TEST_CASE("mean_interval is the Student-t 95% interval", "[unit]") {
  const std::vector<double> v{1, 2, 3};
  const Interval i = mean_interval(v);
  // mean 2, s = 1, half-width t(0.975, 2) · 1/√3 = 4.302653 / 1.732051 = 2.484138
  CHECK(i.mean == Approx(2.0));
  CHECK(i.low == Approx(-0.4841).margin(1e-3));
  CHECK(i.high == Approx(4.4841).margin(1e-3));

  const std::vector<double> one{7.5};
  const Interval j = mean_interval(one);
  CHECK(j.mean == 7.5);
  CHECK(j.low == 7.5);
  CHECK(j.high == 7.5);

  const Interval none = mean_interval({});
  CHECK(std::isnan(none.mean));
  CHECK(std::isnan(none.low));
  CHECK(std::isnan(none.high));

  // Large n: close to the normal 1.96.
  std::vector<double> many;
  for (int k = 0; k < 1000; ++k) many.push_back(k % 2 == 0 ? -1.0 : 1.0);
  const Interval m = mean_interval(many);
  const double sd = std::sqrt(1000.0 / 999.0);
  CHECK(m.high - m.mean == Approx(1.9623 * sd / std::sqrt(1000.0)).epsilon(1e-3));
}

TEST_CASE("compare_arms differences are paired per replicate", "[unit]") {
  // Replicates differ widely (different networks), but the arm removes exactly 5 cases and adds
  // exactly 300 in cost in every replicate: the paired interval has zero width; an unpaired one
  // would span most of the range.
  const std::vector<double> base_exploited{10, 50, 100}, arm_exploited{5, 45, 95};
  const std::vector<double> base_cost{100, 2000, 50}, arm_cost{400, 2300, 350};
  const Results r = with_totals(
      {"exploited", "cost_total"},
      {{"baseline", {base_exploited, base_cost}}, {"media", {arm_exploited, arm_cost}}});
  const std::vector<Comparison> cmp = compare_arms(r);
  REQUIRE(cmp.size() == 1);
  CHECK(cmp[0].arm == "media");
  CHECK(cmp[0].baseline == "baseline");

  const Difference& exploited = get(cmp[0], "exploited");
  CHECK(exploited.mean == Approx(-5));  // arm − baseline
  CHECK(exploited.low == Approx(-5));
  CHECK(exploited.high == Approx(-5));
  const Interval unpaired = mean_interval(arm_exploited);
  CHECK(unpaired.high - unpaired.low > 100);

  const Difference& averted = get(cmp[0], "cases_averted");  // baseline − arm: positive
  CHECK(averted.mean == Approx(5));
  CHECK(averted.low == Approx(5));
  CHECK(averted.high == Approx(5));

  const Difference& cpca = get(cmp[0], "cost_per_case_averted");
  CHECK(cpca.mean == Approx(300.0 / 5.0));
  CHECK(cpca.low == Approx(60));  // every resample gives the same ratio
  CHECK(cpca.high == Approx(60));
}

TEST_CASE("compare_arms: order, signs and cost per case averted", "[unit]") {
  const Results r = with_totals({"exploited", "prevented", "cost_total"},
                                {{"baseline", {{10, 20, 30, 40}, {1, 2, 3, 4}, {0, 0, 0, 0}}},
                                 {"better", {{6, 14, 29, 33}, {4, 6, 3, 9}, {300, 250, 410, 390}}},
                                 {"worse", {{12, 21, 30, 44}, {1, 1, 3, 2}, {100, 100, 100, 100}}},
                                 {"same", {{10, 20, 30, 40}, {1, 2, 3, 4}, {50, 50, 50, 50}}}});
  const std::vector<Comparison> cmp = compare_arms(r);
  REQUIRE(cmp.size() == 3);
  CHECK(cmp[0].arm == "better");
  CHECK(cmp[1].arm == "worse");
  CHECK(cmp[2].arm == "same");
  CHECK(quantities(cmp[0]) == std::vector<std::string>{"exploited", "prevented", "cost_total",
                                                       "cases_averted", "cost_per_case_averted"});

  // better: averted {4, 6, 1, 7}, mean 4.5; extra cost mean (300+250+410+390)/4 = 337.5
  const Difference& averted = get(cmp[0], "cases_averted");
  CHECK(averted.mean == Approx(4.5));
  CHECK(averted.low < averted.mean);
  CHECK(averted.high > averted.mean);
  CHECK(get(cmp[0], "prevented").mean == Approx(3.0));
  const Difference& cpca = get(cmp[0], "cost_per_case_averted");
  CHECK(cpca.mean == Approx(337.5 / 4.5));
  CHECK(cpca.low <= cpca.mean);
  CHECK(cpca.high >= cpca.mean);
  CHECK(cpca.low < cpca.high);

  // worse: more cases than the baseline, so negative cases averted and no cost per case.
  CHECK(get(cmp[1], "cases_averted").mean < 0);
  CHECK(std::isnan(get(cmp[1], "cost_per_case_averted").mean));
  CHECK(std::isnan(get(cmp[1], "cost_per_case_averted").low));
  CHECK(std::isnan(get(cmp[1], "cost_per_case_averted").high));
  // same: no case averted at all.
  CHECK(get(cmp[2], "cases_averted").mean == 0);
  CHECK(std::isnan(get(cmp[2], "cost_per_case_averted").mean));
}

TEST_CASE("compare_arms bootstrap is deterministic", "[unit]") {
  const Results r =
      with_totals({"exploited", "cost_total"},
                  {{"baseline", {{10, 22, 31, 40, 18, 27}, {0, 0, 0, 0, 0, 0}}},
                   {"arm", {{6, 14, 29, 33, 17, 20}, {300, 250, 410, 390, 200, 330}}}});
  const std::vector<Comparison> a = compare_arms(r), b = compare_arms(r);
  REQUIRE(a.size() == 1);
  REQUIRE(b.size() == 1);
  const Difference& x = get(a[0], "cost_per_case_averted");
  const Difference& y = get(b[0], "cost_per_case_averted");
  CHECK(x.mean == y.mean);
  CHECK(x.low == y.low);  // exactly, not approximately
  CHECK(x.high == y.high);
  CHECK(x.low < x.mean);
  CHECK(x.high > x.mean);
}

TEST_CASE("compare_arms: the improvement follows the declared headline and its direction",
          "[unit]") {
  // A model whose headline is better when larger: improvement = arm − baseline.
  Results r = with_totals({"recovered", "spent"},
                          {{"baseline", {{10, 20}, {0, 0}}}, {"arm", {{13, 26}, {30, 90}}}});
  r.outputs.outcomes[0].better = Better::more;
  r.outputs.headline = "recovered";
  r.outputs.improvement = {"gain", "gain", "cost_per_gain", "cost per gain"};
  r.outputs.cost_outcome = "spent";
  std::vector<Comparison> cmp = compare_arms(r);
  REQUIRE(cmp.size() == 1);
  CHECK(quantities(cmp[0]) ==
        std::vector<std::string>{"recovered", "spent", "gain", "cost_per_gain"});
  CHECK(get(cmp[0], "gain").mean == Approx(4.5));                // (3 + 6) / 2
  CHECK(get(cmp[0], "cost_per_gain").mean == Approx(60 / 4.5));  // mean extra cost 60
  // Fewer is better: the same numbers give a negative improvement, and no cost per unit.
  r.outputs.outcomes[0].better = Better::fewer;
  cmp = compare_arms(r);
  CHECK(get(cmp[0], "gain").mean == Approx(-4.5));
  CHECK(std::isnan(get(cmp[0], "cost_per_gain").mean));
  // Neither way: no improvement at all.
  r.outputs.outcomes[0].better = Better::neither;
  CHECK(quantities(compare_arms(r)[0]) == std::vector<std::string>{"recovered", "spent"});
}

TEST_CASE("compare_arms without a declared headline or cost compares the totals only", "[unit]") {
  // A reference model (SIR) has other totals.
  Results r = with_totals({"infected", "peak"},
                          {{"baseline", {{50, 60}, {10, 12}}}, {"vaccinate", {{30, 35}, {6, 7}}}});
  std::vector<Comparison> cmp = compare_arms(r);
  REQUIRE(cmp.size() == 1);
  CHECK(quantities(cmp[0]) == std::vector<std::string>{"infected", "peak"});
  CHECK(get(cmp[0], "infected").mean == Approx(-22.5));

  // exploited without a cost: cases averted, but no cost per case.
  r = with_totals({"exploited"}, {{"baseline", {{5, 6}}}, {"arm", {{4, 4}}}});
  cmp = compare_arms(r);
  REQUIRE(cmp.size() == 1);
  CHECK(quantities(cmp[0]) == std::vector<std::string>{"exploited", "cases_averted"});
}

TEST_CASE("compare_arms without the baseline arm, or with only it, compares nothing", "[unit]") {
  Results r = with_totals({"exploited"}, {{"a", {{1, 2}}}, {"b", {{1, 2}}}}, "baseline");
  CHECK(compare_arms(r).empty());
  r = with_totals({"exploited"}, {{"baseline", {{1, 2}}}});
  CHECK(compare_arms(r).empty());
}

TEST_CASE("compare_arms refuses unpaired replicates", "[unit]") {
  const Results r = with_totals({"exploited"}, {{"baseline", {{1, 2, 3}}}, {"arm", {{1, 2}}}});
  CHECK_THROWS_AS(compare_arms(r), std::invalid_argument);
}
