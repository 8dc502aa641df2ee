// The page of an optimisation (output/optimisation_report.h): its findings worked by hand from a
// small results file's numbers.
#include <catch2/catch.hpp>

#include "output/optimisation_report.h"

using namespace fourp;

namespace {

OptimisationRow row(const std::string& description, const std::string& communities,
                    double objective, double cost) {
  OptimisationRow r;
  r.description = description;
  r.values = {communities};
  r.objective = objective;
  r.objective_low = objective - 2;
  r.objective_high = objective + 2;
  r.cost = r.cost_low = r.cost_high = cost;
  return r;
}

OptimisationResults results() {
  OptimisationResults r;
  r.current = "partnership";
  r.objective = "minimise exploited";
  r.currency = "USD";
  r.communities = 4;
  r.budget = 300000;
  r.replicates = 10;
  r.confirm_replicates = 40;
  r.choices = {"interventions.partnership.target.communities"};
  r.choice_kinds = {"communities"};
  r.candidates = {row("partnership in communities 0, 1", "0 1", 50, 280000),
                  row("partnership in communities 0", "0", 56, 100000),
                  row("partnership in communities 0, 2", "0 2", 46, 290000),
                  row("partnership in communities 0, 1, 2", "0 1 2", 40, 450000)};
  r.current_candidate = 0;
  r.optimum = 2;
  r.curve = {{100000, 1}, {300000, 2}, {500000, 3}};
  r.confirmation.improvement = 3;
  r.confirmation.improvement_low = 1;
  r.confirmation.improvement_high = 5;
  r.confirmation.extra_cost = 10000;
  r.confirmation.probability_better = 0.75;
  return r;
}

bool has(const std::vector<std::string>& lines, const std::string& text) {
  for (const std::string& l : lines)
    if (l.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("optimisation report: findings in words, worked by hand", "[unit]") {
  const std::vector<std::string> f = report::optimisation_findings(results());
  INFO(f.size());
  CHECK(has(f,
            "the best allocation found is: partnership in communities 0, 2. It leads to 46 "
            "exploited (95% interval 44 to 48) at a mean cost of USD 290,000."));
  CHECK(has(f, "Today's plan (partnership in communities 0, 1) leads to 50 exploited"));
  CHECK(has(f, "by 3 (95% interval 1 to 5), in 75% of them, at a mean of USD 10,000 more."));
  // A candidate costing USD 450,000 > 300,000 did better (40 < 46): the budget binds.
  CHECK(has(f, "The budget binds"));
  // (56 − 46) / (290,000 − 100,000) × 100,000 = 5.26; (46 − 40) / 160,000 × 100,000 = 3.75.
  CHECK(has(f, "each extra USD 100,000 lowers exploited by 5.26"));
  CHECK(has(f, "each extra USD 100,000 lowers exploited by 3.75"));
  const std::string html = report::render_optimisation_report(results());
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("partnership: optimum") != std::string::npos);  // the allocation chart's row
}

TEST_CASE("optimisation report: an unbinding budget and an unconfirmed optimum say so", "[unit]") {
  OptimisationResults r = results();
  r.candidates.pop_back();  // nothing better that costs more
  r.curve.pop_back();
  r.confirmation.improvement_low = -1;
  const std::vector<std::string> f = report::optimisation_findings(r);
  CHECK(has(f,
            "The budget does not bind: no allocation found did better by spending more; the "
            "optimum leaves USD 10,000 unspent."));
  CHECK(has(f, "the optimum is not shown to beat today's plan"));
}

TEST_CASE("optimisation report: least cost names the cheapest allocation and the target's margin",
          "[unit]") {
  OptimisationResults r = results();
  r.mode = "least_cost";
  r.target_outcome = "exploited";
  r.baseline_arm = "baseline";
  r.target_reduction = 0.2;
  r.baseline_objective = 60;
  r.target_level = 48;  // (1 − 0.2) × 60
  r.candidates[2].cost_low = 280000;
  r.candidates[2].cost_high = 300000;
  r.confirmation.achieved_reduction = 0.21;
  r.confirmation.target_margin = 1.5;
  r.confirmation.target_margin_low = -0.5;
  r.confirmation.target_margin_high = 3.5;
  const std::vector<std::string> f = report::optimisation_findings(r);
  // (60 − 46) / 60 = 23.3% fewer than the baseline arm.
  CHECK(has(f,
            "The cheapest allocation found that lowers exploited by at least 20% against the "
            "baseline arm \u201cbaseline\u201d (from 60 to at most 48) is: partnership in "
            "communities 0, 2. It costs USD 290,000 (95% interval USD 280,000 to USD 300,000) and "
            "leads to 46 exploited (95% interval 44 to 48), 23.3% fewer than the baseline arm"));
  CHECK(has(f,
            "On 40 fresh replicates it lowers exploited by 21.0% against the baseline arm; its "
            "margin over the target is 1.5 (95% interval -0.5 to 3.5, paired): the target is "
            "reached on average, but the interval includes a shortfall."));
  CHECK_FALSE(has(f, "The budget binds"));  // the target decides what is spent, not the budget
  r.confirmation.target_margin_low = 0.5;
  CHECK(has(report::optimisation_findings(r), "paired): the target is reached."));
  const std::string html = report::render_optimisation_report(r);
  CHECK(html.find("The least cost of 20% fewer exploited") != std::string::npos);
}

TEST_CASE("optimisation report: a constraint binds when the best without it breaks it", "[unit]") {
  // Community 1 must be served: of the candidates within USD 300,000, "0, 2" (46) breaks it, so
  // the optimum is "0, 1" (50); without the constraint the best would be "0, 2": it binds.
  OptimisationResults r = results();
  r.constraints = {"1 3"};
  r.optimum = 0;
  for (OptimisationRow& c : r.candidates)
    c.meets_constraints = c.values[0].find('1') != std::string::npos;
  std::vector<std::string> f = report::optimisation_findings(r);
  CHECK(has(f,
            "The constraint that community 1 or 3 is served binds: without it, the best "
            "allocation found is partnership in communities 0, 2, with 46 exploited at USD "
            "290,000, against 50 with it."));
  // A candidate outside the choices (today's plan may be) is no answer without the constraints.
  r.candidates[2].within_choices = false;
  f = report::optimisation_findings(r);
  CHECK(has(f,
            "The constraint that community 1 or 3 is served does not bind: the best allocation "
            "found without the constraints serves community 1 anyway."));
}

TEST_CASE("optimisation report: a constraint the best allocation meets anyway does not bind",
          "[unit]") {
  // Community 0, 1 or 2 must be served: the best within the budget, "0, 2", serves 0.
  OptimisationResults r = results();
  r.constraints = {"0 1 2"};
  const std::vector<std::string> f = report::optimisation_findings(r);
  CHECK(has(f,
            "The constraint that community 0, 1 or 2 is served does not bind: the best "
            "allocation found without the constraints serves community 0 anyway."));
  CHECK_FALSE(has(f, "binds: without it"));
}
