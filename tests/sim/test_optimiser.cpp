// The optimiser of `fourp optimise` (sim/optimiser.h): its search against exhaustive enumeration
// and a fine grid, on functions whose optimum is known and on simulations over the same
// replicates; evaluations identical for 1 and 2 threads.
#include <catch2/catch.hpp>

#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "sim/optimiser.h"
#include "sim/runner.h"
#include "tests/support/test_support.h"

using namespace fourp;
namespace fs = std::filesystem;

namespace {

fs::path data(const std::string& name) {
  return fs::path(FOURP_TEST_DATA) / "optimisation" / name;
}

OptimisationPlan parse(const std::string& name) {
  Diagnostics diag;
  OptimisationPlan p = parse_optimisation_file(data(name), test::catalog(), diag);
  INFO(diag.format());
  REQUIRE_FALSE(diag.has_errors());
  return p;
}

// An evaluation that is exactly (objective, cost): a function with a known optimum.
Evaluation exact(double objective, double cost) {
  Evaluation e;
  e.ok = true;
  e.objective = objective;
  e.cost = cost;
  e.objective_by_replicate = {objective};
  e.cost_by_replicate = {cost};
  return e;
}

EvaluateBatch batch_of(std::function<Evaluation(const Candidate&)> f, size_t* calls = nullptr) {
  return [f, calls](const std::vector<Candidate>& cs) {
    std::vector<Evaluation> out;
    for (const Candidate& c : cs) out.push_back(f(c));
    if (calls) *calls += cs.size();
    return out;
  };
}

OptimisationChoice subset_choice(uint32_t n, uint32_t min, uint32_t max) {
  OptimisationChoice c;
  c.kind = OptimisationChoice::Kind::communities;
  c.path = "interventions.p.target.communities";
  c.intervention = "p";
  for (uint32_t i = 0; i < n; ++i) c.pool.push_back(i);
  c.min_count = min;
  c.max_count = max;
  return c;
}

OptimisationChoice number_choice(const std::string& key, double min, double max) {
  OptimisationChoice c;
  c.path = "interventions.p." + key;
  c.intervention = "p";
  c.min = min;
  c.max = max;
  return c;
}

}  // namespace

TEST_CASE("optimiser: greedy and swaps find the best of 256 subsets of a knapsack", "[unit]") {
  // Eight communities with effects e and costs c (no two alike), diminishing returns:
  // objective = 100 − E + 0.004·E² with E the sum of the chosen effects; cost = Σ c. The
  // greedy addition by effect per cost takes the cheap communities first and is left with budget
  // it cannot use well; the swaps must then find the exhaustive optimum.
  const std::vector<double> e = {9.1, 8.3, 7.2, 6.0, 5.4, 3.1, 2.2, 1.3};
  const std::vector<double> c = {5.0, 5.5, 3.9, 3.2, 2.1, 1.0, 0.8, 0.6};
  const double budget = 11;
  OptimisationPlan plan;
  plan.choices = {subset_choice(8, 0, 8)};
  const auto f = [&](const Candidate& x) {
    double E = 0, cost = 0;
    for (uint32_t k : x.subsets[0]) E += e[k], cost += c[k];
    return exact(100 - E + 0.004 * E * E, cost);
  };
  double best = 1e9;
  std::vector<uint32_t> best_set;
  for (uint32_t mask = 0; mask < 256; ++mask) {
    Candidate x;
    x.subsets.resize(1);
    for (uint32_t k = 0; k < 8; ++k)
      if (mask >> k & 1) x.subsets[0].push_back(k);
    const Evaluation v = f(x);
    if (v.cost <= budget && v.objective < best) best = v.objective, best_set = x.subsets[0];
  }
  Candidate start;
  start.subsets.resize(1);
  size_t calls = 0;
  const SearchResult r = search(plan, start, budget, batch_of(f, &calls));
  REQUIRE(r.best);
  CHECK(r.best->subsets[0] == best_set);
  CHECK(r.evaluation.objective == Approx(best).epsilon(1e-12));
  CHECK(r.evaluation.cost <= budget);
}

TEST_CASE("optimiser: two numbers within 1% of a fine grid's optimum under a budget", "[unit]") {
  // objective = 1 + (x − 0.7)² + 0.5·(y − 1.5)², cost = 3x + 2y, budget 4: the unconstrained
  // optimum (0.7, 1.5) costs 5.1, so the budget binds. The grid: 401 × 401 points.
  OptimisationPlan plan;
  plan.choices = {number_choice("x", 0, 1), number_choice("y", 0, 2)};
  const double budget = 4;
  const auto f = [](double x, double y) {
    return exact(1 + (x - 0.7) * (x - 0.7) + 0.5 * (y - 1.5) * (y - 1.5), 3 * x + 2 * y);
  };
  double grid = 1e9;
  for (int i = 0; i <= 400; ++i)
    for (int j = 0; j <= 400; ++j) {
      const Evaluation v = f(i / 400.0, 2 * j / 400.0);
      if (v.cost <= budget) grid = std::min(grid, v.objective);
    }
  Candidate start;
  start.numbers = {0.1, 0.2};
  const SearchResult r =
      search(plan, start, budget,
             batch_of([&](const Candidate& c) { return f(c.numbers[0], c.numbers[1]); }));
  REQUIRE(r.best);
  CHECK(r.evaluation.cost <= budget);
  CHECK(std::abs(r.evaluation.objective - grid) <= 0.01 * grid);
}

TEST_CASE("optimiser: nothing fits a budget below every allocation, and the cheapest is named",
          "[unit]") {
  OptimisationPlan plan;
  plan.choices = {subset_choice(4, 1, 4)};
  Candidate start;
  start.subsets.resize(1);
  const SearchResult r =
      search(plan, start, 0.5, batch_of([](const Candidate& x) {
               const auto& s = x.subsets[0];
               return exact(10.0 - s.size(), 1.0 + s.size() + (s.empty() ? 0 : 0.1 * s[0]));
             }));
  CHECK_FALSE(r.best);
  REQUIRE(r.cheapest);
  CHECK(r.cheapest->subsets[0] == std::vector<uint32_t>{0});
  CHECK(r.cheapest_evaluation.cost == Approx(2.0));
}

TEST_CASE("optimiser: a candidate's evaluation is the same for 1 and 2 threads", "[scenario]") {
  const OptimisationPlan plan = parse("good.yaml");
  std::vector<Candidate> batch = {current_candidate(plan), start_candidate(plan)};
  batch[1].subsets[0] = {1, 2, 6};
  batch[1].numbers = {5, 0.45};
  const auto run = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
    Evaluator eval(plan, 0, plan.replicates);
    return eval.evaluate(batch);
  };
  const std::vector<Evaluation> one = run(1), two = run(2);
  for (size_t i = 0; i < batch.size(); ++i) {
    REQUIRE(one[i].ok);
    CHECK(one[i].objective_by_replicate == two[i].objective_by_replicate);
    CHECK(one[i].cost_by_replicate == two[i].cost_by_replicate);
  }
  // The two candidates differ on these replicates (the evaluation sees the choices).
  CHECK(one[0].cost_by_replicate != one[1].cost_by_replicate);
}

TEST_CASE("optimiser: a candidate runs as the current arm with its choices applied", "[scenario]") {
  const OptimisationPlan plan = parse("good.yaml");
  Candidate c = start_candidate(plan);
  c.subsets[0] = {2, 5};
  c.numbers = {4, 0.25};
  const Scenario s = apply_candidate(plan, plan.scenario, c);
  const ArmConfig cfg = resolve_arm(s, *s.arm("both"));
  REQUIRE(cfg.interventions.size() == 2);
  CHECK(cfg.interventions[0].target.communities == std::vector<uint32_t>{2, 5});
  CHECK(cfg.interventions[0].params.get("recruit_per_step") == 4);
  CHECK(cfg.interventions[1].params.get("reach") == 0.25);
  // Its evaluation on replicate 0 is the run of that arm, alone, on replicate 0.
  Evaluator eval(plan, 0, 1);
  const Evaluation e = eval.evaluate({c}).front();
  const RunResult run = run_replicate(s, 2, 0, nullptr);
  CHECK(e.objective_by_replicate[0] == run.totals[*s.kind->outputs.outcome_index("exploited")]);
  // No community: the intervention is left out of the arm.
  c.subsets[0].clear();
  const Scenario none = apply_candidate(plan, plan.scenario, c);
  CHECK(none.arm("both")->interventions == std::vector<std::string>{"media"});
  // The current plan is the arm as written.
  const Candidate now = current_candidate(plan);
  CHECK(now.subsets[0] == std::vector<uint32_t>{0, 1, 2, 3});
  CHECK(now.numbers == std::vector<double>{2, 0.3});
}

TEST_CASE("optimiser: eight villages, the exhaustive best of 256 subsets on the same seeds",
          "[verification][many_runs]") {
  // Every subset the budget allows (at most three villages: 1 + 8 + 28 + 56 = 93) evaluated on
  // the same 4 replicates; the search must return one as good (exploited counts may tie).
  const OptimisationPlan plan = parse("eight-villages-optimise.yaml");
  Evaluator eval(plan, 0, plan.replicates);
  const SearchResult r = search(plan, start_candidate(plan), plan.budget, eval.batch());
  REQUIRE(r.best);
  const size_t searched = eval.history().size();
  std::vector<Candidate> all;
  for (uint32_t mask = 0; mask < 256; ++mask) {
    Candidate x;
    x.subsets.resize(1);
    for (uint32_t k = 0; k < 8; ++k)
      if (mask >> k & 1) x.subsets[0].push_back(k);
    if (x.subsets[0].size() <= 3) all.push_back(x);
  }
  const std::vector<Evaluation> es = eval.evaluate(all);
  double best = 1e300;
  for (const Evaluation& e : es)
    if (e.ok && e.cost <= plan.budget) best = std::min(best, e.objective);
  INFO("search evaluated " << searched << " subsets; best " << describe(plan, *r.best));
  CHECK(r.evaluation.objective == best);
  CHECK(searched < all.size());
}

TEST_CASE("optimiser: a candidate whose runs fail is recorded and never chosen", "[unit]") {
  // Serving community 2 fails (as a run that throws does); it would otherwise be the best.
  OptimisationPlan plan;
  plan.choices = {subset_choice(4, 1, 2)};
  const auto f = [](const Candidate& x) {
    const auto& s = x.subsets[0];
    if (std::find(s.begin(), s.end(), 2u) != s.end()) {
      Evaluation e;
      e.error = "replicate 0: injected failure";
      return e;
    }
    double g = 10;
    for (uint32_t k : s) g -= k + 1;  // community k helps by k + 1
    return exact(g, static_cast<double>(s.size()));
  };
  Candidate start;
  start.subsets.resize(1);
  const SearchResult r = search(plan, start, 2, batch_of(f));
  REQUIRE(r.best);
  CHECK(r.best->subsets[0] == std::vector<uint32_t>{1, 3});  // 10 − 2 − 4 = 4
  CHECK(r.evaluation.objective == 4);
}

TEST_CASE(
    "optimiser: with uncertain parameters a candidate's replicate r is fourp run's, with "
    "its draws",
    "[scenario]") {
  // Replicate r of a candidate runs with the parameter draws θ_r that `fourp run` gives replicate
  // r, the same for every candidate (common random numbers extend to the parameters, and the
  // objective is their expectation): each equals run_replicate of the candidate's scenario.
  const OptimisationPlan plan = parse("uncertain.yaml");
  REQUIRE(plan.scenario.uncertainty.size() == 3);
  Candidate c = start_candidate(plan);
  c.subsets[0] = {1, 4};
  c.numbers = {3};
  Evaluator eval(plan, 0, plan.replicates);
  const Evaluation e = eval.evaluate({c}).front();
  REQUIRE(e.ok);
  const Scenario s = apply_candidate(plan, plan.scenario, c);
  const size_t arm = 1, exploited = *s.kind->outputs.outcome_index("exploited"),
               cost = *s.kind->outputs.outcome_index("cost_total");
  for (uint32_t r = 0; r < plan.replicates; ++r) {
    const RunResult run = run_replicate(s, arm, r, nullptr);
    CHECK(e.objective_by_replicate[r] == run.totals[exploited]);
    CHECK(e.cost_by_replicate[r] == run.totals[cost]);
  }
  // The programme's uncertain cost per partner is drawn per replicate: the costs differ.
  CHECK(e.cost_by_replicate[0] != e.cost_by_replicate[1]);
}

TEST_CASE("optimiser: two numbers of a simulation within 1% of a grid's optimum on the same seeds",
          "[scenario][many_runs]") {
  // The campaign's reach (each contact costs 0.05) and the partnership's power sharing (free),
  // on 3 replicates; the budget is what reach 0.3 and power sharing 0.5 cost, so it binds on
  // reach. The grid: reach 0, 0.05, …, 0.6 × power sharing 0, 0.1, …, 1 (143 points).
  OptimisationPlan plan = parse("two-numbers.yaml");
  Evaluator eval(plan, 0, plan.replicates);
  Candidate probe = start_candidate(plan);
  probe.numbers = {0.3, 0.5};
  plan.budget = eval.evaluate({probe}).front().cost;
  const SearchResult r = search(plan, start_candidate(plan), plan.budget, eval.batch());
  REQUIRE(r.best);
  std::vector<Candidate> grid;
  for (int i = 0; i <= 12; ++i)
    for (int j = 0; j <= 10; ++j) {
      Candidate c = probe;
      c.numbers = {0.05 * i, 0.1 * j};
      grid.push_back(c);
    }
  double best = 1e300;
  for (const Evaluation& e : eval.evaluate(grid))
    if (e.ok && e.cost <= plan.budget) best = std::min(best, e.objective);
  INFO("search: " << describe(plan, *r.best) << " " << r.evaluation.objective << ", grid " << best
                  << ", budget " << plan.budget);
  CHECK(r.evaluation.cost <= plan.budget);
  CHECK(r.evaluation.objective <= 1.01 * best);
}

TEST_CASE("optimiser: a constraint on another choice's communities leaves this choice free",
          "[unit]") {
  // Two programmes: A may serve 0 or 1 (at least one), B 2 or 3; community 3 must be served.
  // Each community served lowers the objective by its id + 1 and costs 1; budget 2.
  OptimisationPlan plan;
  OptimisationChoice a = subset_choice(4, 1, 2), b = subset_choice(4, 0, 2);
  a.pool = {0, 1};
  b.pool = {2, 3};
  b.path = "interventions.q.target.communities";
  b.intervention = "q";
  plan.choices = {a, b};
  plan.constraints = {{{3}, {}}};
  const auto f = [](const Candidate& x) {
    double g = 20, cost = 0;
    for (const auto& s : x.subsets)
      for (uint32_t k : s) g -= k + 1, cost += 1;
    return exact(g, cost);
  };
  Candidate start;
  start.subsets.resize(2);
  size_t calls = 0;
  const SearchResult r = search(plan, start, 2, batch_of(f, &calls));
  REQUIRE(r.best);
  CHECK(r.best->subsets[0] == std::vector<uint32_t>{1});  // the better of A's
  CHECK(r.best->subsets[1] == std::vector<uint32_t>{3});  // the constraint's
  CHECK(r.evaluation.objective == 20 - 2 - 4);
}

TEST_CASE("optimiser: least cost, the cheapest of 64 subsets that lowers the objective by 37%",
          "[unit]") {
  // Six communities with effects e and costs c; the objective is 100 − Σe (100 with none, the
  // baseline), so a 37% reduction needs Σe ≥ 37. By hand: all six give 45 for 32, so at most 8
  // of effect may be left out; leaving out {1, 4} (effect 6 + 2, cost 3 + 8) saves the most:
  // {0, 2, 3, 5}, Σe = 37, at 21 (leaving out {4} saves 8, {3} 9, {0} 1, {1} 3). The search
  // at the ceiling, where everything fits, never evaluates it (greedy by effect per cost goes
  // 2, 0, 1, 5, 3, 4; the cheapest reaching set it meets is all but 4, at 24): only the
  // bisection's searches at smaller budgets do.
  const std::vector<double> e = {8, 6, 12, 7, 2, 10};
  const std::vector<double> c = {1, 3, 1, 9, 8, 10};
  OptimisationPlan plan;
  plan.choices = {subset_choice(6, 0, 6)};
  const auto f = [&](const Candidate& x) {
    double E = 0, cost = 0;
    for (uint32_t k : x.subsets[0]) E += e[k], cost += c[k];
    return exact(100 - E, cost);
  };
  const double target = (1 - 0.37) * 100, ceiling = 40;
  double cheapest = 1e9;
  std::vector<uint32_t> cheapest_set;
  for (uint32_t mask = 0; mask < 64; ++mask) {
    Candidate x;
    x.subsets.resize(1);
    for (uint32_t k = 0; k < 6; ++k)
      if (mask >> k & 1) x.subsets[0].push_back(k);
    const Evaluation v = f(x);
    if (v.objective <= target + 1e-9 && v.cost < cheapest)
      cheapest = v.cost, cheapest_set = x.subsets[0];
  }
  REQUIRE(cheapest_set == std::vector<uint32_t>{0, 2, 3, 5});
  Candidate start;
  start.subsets.resize(1);
  const LeastCostResult r = least_cost(plan, start, ceiling, target + 1e-9, batch_of(f));
  REQUIRE(r.best);
  CHECK(r.best->subsets[0] == cheapest_set);
  CHECK(r.evaluation.cost == 21);
  CHECK(r.evaluation.objective == 63);
  CHECK(r.budgets.front() == ceiling);

  // Out of reach: a 50% reduction needs Σe ≥ 50 > 45; the closest is everything (55).
  const LeastCostResult none = least_cost(plan, start, ceiling, 50, batch_of(f));
  CHECK_FALSE(none.best);
  REQUIRE(none.closest);
  CHECK(none.closest_evaluation.objective == 55);
}

TEST_CASE("optimiser: least cost on a simulation, against every subset on the same seeds",
          "[scenario]") {
  // Which of villages 0–4 the partnership serves (32 subsets, 2 replicates), 20% fewer
  // exploited than the baseline arm on the same replicates: the cheapest subset that reaches it,
  // found by enumeration, is the one least_cost returns.
  const OptimisationPlan plan = parse("least-cost.yaml");
  REQUIRE(plan.target);
  Evaluator eval(plan, 0, plan.replicates);
  const Evaluation base = eval.evaluate_arm(plan.target->baseline);
  REQUIRE(base.ok);
  // The baseline arm is fourp run's, replicate for replicate.
  const size_t arm = 0, exploited = *plan.scenario.kind->outputs.outcome_index("exploited");
  for (uint32_t r = 0; r < plan.replicates; ++r)
    CHECK(base.objective_by_replicate[r] ==
          run_replicate(plan.scenario, arm, r, nullptr).totals[exploited]);
  const double target = (1 - plan.target->reduction) * base.objective;
  const LeastCostResult r =
      least_cost(plan, start_candidate(plan), plan.budget, target, eval.batch());
  const size_t searched = eval.history().size();
  std::vector<Candidate> all;
  for (uint32_t mask = 0; mask < 32; ++mask) {
    Candidate x;
    x.subsets.resize(1);
    for (uint32_t k = 0; k < 5; ++k)
      if (mask >> k & 1) x.subsets[0].push_back(k);
    all.push_back(x);
  }
  const std::vector<Evaluation> es = eval.evaluate(all);
  std::optional<size_t> cheapest;
  for (size_t i = 0; i < es.size(); ++i)
    if (es[i].ok && es[i].objective <= target && es[i].cost <= plan.budget &&
        (!cheapest || es[i].cost < es[*cheapest].cost))
      cheapest = i;
  REQUIRE(cheapest);
  REQUIRE(r.best);
  INFO("baseline " << base.objective << ", target " << target << "; least_cost: "
                   << describe(plan, *r.best) << " at " << r.evaluation.cost << " ("
                   << r.evaluation.objective << "); enumeration: " << describe(plan, all[*cheapest])
                   << " at " << es[*cheapest].cost << " (" << es[*cheapest].objective << "); "
                   << searched << " searched");
  CHECK(r.evaluation.cost == es[*cheapest].cost);
  CHECK(r.evaluation.objective <= target);
  // The answer from every evaluation is the same one.
  const auto i = cheapest_reaching(plan, eval.history(), target, plan.budget);
  REQUIRE(i);
  CHECK(eval.history()[*i].second.cost == r.evaluation.cost);
}
