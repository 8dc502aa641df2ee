// The search of `fourp optimise` (issue 13): the allocation of the current arm's interventions —
// which communities each serves and its numbers — with the best mean objective whose mean
// simulated cost stays within the budget.
//
//   Evaluator eval(plan, 0, plan.replicates);            // the search's replicates 0 … R − 1
//   SearchResult r = search(plan, start_candidate(plan), plan.budget, eval.batch());
//   Evaluator confirm(plan, plan.replicates, plan.confirm_replicates);  // fresh replicates
//
// Evaluation (sample-average approximation with common random numbers): a candidate is run as
// the current arm with its choices applied on the SAME replicates — the same worlds, draws and,
// with `uncertainty:`, the same parameter draws θ_r — so two candidates differ only by what
// they change, and the mean over replicates is a deterministic function of the candidate. Runs
// are pure functions of (candidate, replicate), so results are identical for any thread count.
// Identical candidates are evaluated once (a cache keyed by the candidate).
//
// Search (README.md, "Optimisation: the best use of a fixed budget"): rounds of
//  1. greedy marginal analysis over every community choice at once, from empty sets — add the
//     (choice, community) with the largest improvement per extra unit of cost that stays within
//     the budget, after those a constraint or a minimum requires — then, for each choice, local
//     search with add, drop and swap moves, each move to the best improving feasible neighbour
//     (first round); later rounds the local search alone;
//  2. the numbers by NLopt's COBYLA (derivative-free, deterministic), on [0, 1]-scaled
//     coordinates, the budget as its constraint; whole-number choices are rounded to the nearest
//     whole number before evaluation (so COBYLA sees steps; its first step is a quarter range),
// until a round changes nothing. The answer is the best feasible candidate evaluated.
//
// `mode: least_cost` (least_cost below): the cheapest allocation whose mean objective reaches a
// target level g* = (1 − r) × the baseline arm's mean on the same replicates, found by
// bisection over the budget with the search above — the best outcome at a budget B reaches g*
// or not, and reaching is (nearly) monotone in B, so the least B that reaches it is the least
// cost. First the search at the ceiling (the plan's budget): if nothing it evaluated reaches g*,
// no allocation is known to and the best found says how near it came. Else hi = the cost of the
// cheapest candidate evaluated that reaches g*, lo = the cost of the cheapest evaluated at all
// (it does not reach g*), and each step searches at (lo + hi) / 2: hi falls to the cheapest
// reaching candidate known (any search's, those over its budget included), or lo rises to the
// midpoint; until hi − lo ≤ 1% of hi or 8 steps. The answer is the cheapest candidate evaluated
// that reaches g* (ties: the better objective). A direct search minimising cost under the
// target was not written: the bisection reuses the tested search and its cache, and every budget
// it tries is a point of the budget–outcome curve.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/network.h"
#include "sim/optimisation_file.h"

namespace fourp {

// One allocation: a subset per communities choice, a value per number choice, both in the order
// of the plan's choices (communities choices come first).
struct Candidate {
  std::vector<std::vector<uint32_t>> subsets;  // ascending community ids
  std::vector<double> numbers;                 // whole numbers for integer choices
  auto operator<=>(const Candidate&) const = default;
};

struct Evaluation {
  bool ok = false;
  std::string error;  // why a run failed (the candidate is then infeasible)
  // Means over replicates with the half-widths of their 95% Student-t intervals. `objective` is
  // the weighted sum of outcomes as declared (not signed by minimise/maximise).
  double objective = 0, objective_half = 0, cost = 0, cost_half = 0;
  std::vector<double> objective_by_replicate, cost_by_replicate;
};

// The current arm's own values of the choices (its subsets may lie outside the pools and its
// numbers outside the ranges: they are today's plan, not a candidate the search makes).
Candidate current_candidate(const OptimisationPlan& plan);
// The candidate the search starts from: the current numbers clamped into their ranges (rounded
// for integer choices), subsets empty (greedy fills them).
Candidate start_candidate(const OptimisationPlan& plan);

// `scenario` (the plan's, or one with replicate r's parameter draws) with the candidate applied
// to the current arm: each chosen intervention's target communities (an empty subset leaves it
// out of the arm) and numbers; the arm's own `set` of a chosen path is dropped.
Scenario apply_candidate(const OptimisationPlan& plan, const Scenario& scenario,
                         const Candidate& c);

// The scenario `fourp run` runs with the candidate as an arm of its own: the plan's scenario
// (its own outputs) plus, for each chosen intervention, a copy named "<name>-optimum" with the
// choices applied, and an arm `arm` of the current arm's interventions with the chosen ones
// replaced by their copies (left out when they serve no community); the other arms unchanged.
Scenario optimum_scenario(const OptimisationPlan& plan, const Candidate& c,
                          const std::string& arm = "optimum");

// Whether the candidate meets every constraint of the plan; one constraint.
bool meets_constraints(const OptimisationPlan& plan, const Candidate& c);
bool meets_constraint(const OptimisationConstraint& con, const Candidate& c);
// Whether the candidate is one the choices allow (its subsets in their pools and counts, its
// numbers in their ranges), the constraints aside: the report's "without the constraints".
bool within_choices(const OptimisationPlan& plan, const Candidate& c);

// "partnership in 0, 1, 4; partnership.recruit_per_step 3": for messages and reports.
std::string describe(const OptimisationPlan& plan, const Candidate& c);

// Evaluates candidates in batches, one entry per candidate, in order.
using EvaluateBatch = std::function<std::vector<Evaluation>(const std::vector<Candidate>&)>;

// Runs candidates on the replicates first … first + count − 1 of the plan's scenario, in
// parallel over replicates (oneTBB; the caller limits threads) and inside runs. Each replicate's
// world is built once per batch and every candidate of the batch runs on it.
struct EvaluatorHooks {
  const std::atomic<bool>* cancel = nullptr;  // then Cancelled is thrown
  std::function<void()> after_run;            // after each run, from any thread
  // Each candidate newly evaluated, in the order of history() (a journal), on the calling thread.
  std::function<void(const Candidate&, const Evaluation&)> on_evaluated;
  // Several processes (MPI ranks) sharing each batch: this one runs the replicates r with
  // r mod ranks = rank, and `combine` adds every process's numbers element by element (each
  // fills its share, the rest 0), so every process ends with the same evaluations. A run that
  // failed on another process is known by a flag only: its error reads "failed on another MPI
  // rank".
  uint32_t rank = 0, ranks = 1;
  std::function<void(std::span<double>)> combine;
};

class Evaluator {
 public:
  using Hooks = EvaluatorHooks;
  Evaluator(const OptimisationPlan& plan, uint32_t first, uint32_t count, Hooks hooks = {});
  std::vector<Evaluation> evaluate(const std::vector<Candidate>& batch);
  // The scenario's arm `arm` as written (the baseline of least_cost's target) on the same
  // replicates, with the same world and parameter draws θ_r as every candidate. Not a candidate:
  // not in history() nor journaled (a resumed optimisation runs it again).
  Evaluation evaluate_arm(const std::string& arm);
  // A candidate evaluated before (a journal, on --resume), taken as evaluated: appended to the
  // history as if just run, so a search that asks again replays to the same history.
  void preload(const Candidate& c, const Evaluation& e);
  EvaluateBatch batch() {
    return [this](const std::vector<Candidate>& b) { return evaluate(b); };
  }
  // Every candidate evaluated, in the order first asked for.
  const std::vector<std::pair<Candidate, Evaluation>>& history() const { return history_; }
  uint64_t runs() const { return runs_; }

 private:
  struct Runs {  // [job × replicate]
    std::vector<double> objective, cost;
    std::vector<std::string> error;
  };
  // Runs K jobs on every replicate: job k is arm `arm` of scenario_of(k, the replicate's
  // scenario), in parallel, shared among processes by `hooks_`.
  Runs run(size_t K, const std::function<Scenario(size_t, const Scenario&)>& scenario_of,
           const std::string& arm);
  Evaluation summarise(const Runs& runs, size_t k) const;

  const OptimisationPlan& plan_;
  uint32_t first_, count_;
  Hooks hooks_;
  std::optional<NetworkFile> network_file_;
  std::map<Candidate, size_t> index_;  // into history_
  std::vector<std::pair<Candidate, Evaluation>> history_;
  uint64_t runs_ = 0;
};

struct SearchSettings {
  uint32_t max_rounds = 4;               // subset and number phases, until nothing changes
  uint32_t max_local_moves = 20;         // improving moves of one local search
  uint32_t evaluations_per_number = 12;  // NLopt's budget: this many per number choice, + 8
  uint32_t bisection_steps = 8;          // least_cost: at most this many budgets after the ceiling
  double bisection_tolerance = 0.01;     // least_cost: stop when hi − lo ≤ this share of hi
};

struct SearchResult {
  std::optional<Candidate> best;  // none: nothing evaluated was feasible
  Evaluation evaluation;
  // The cheapest candidate evaluated that meets the constraints, for the message when nothing
  // fits the budget.
  std::optional<Candidate> cheapest;
  Evaluation cheapest_evaluation;
  uint64_t candidates = 0;  // distinct candidates evaluated by this search (with the cache's)
};

// The best feasible candidate at `budget`: minimises sign · objective subject to mean cost ≤
// budget and the constraints. Deterministic for a deterministic `evaluate`.
// Starts from `start` (start_candidate(plan): its subsets are refilled by the greedy phase).
SearchResult search(const OptimisationPlan& plan, const Candidate& start, double budget,
                    const EvaluateBatch& evaluate, const SearchSettings& settings = {});

// The best feasible candidate at `budget` among those already evaluated (ties: the cheaper,
// then the earlier): what the budget–outcome curve reports, so the curve uses every evaluation.
std::optional<size_t> best_in(const OptimisationPlan& plan,
                              const std::vector<std::pair<Candidate, Evaluation>>& history,
                              double budget);

// The cheapest candidate evaluated that reaches `target` (mean objective ≤ target; the plan's
// objective is minimised), costs at most `budget` and is admissible (ties: the better objective,
// then the earlier): least_cost's answer, from every evaluation.
std::optional<size_t> cheapest_reaching(
    const OptimisationPlan& plan, const std::vector<std::pair<Candidate, Evaluation>>& history,
    double target, double budget);

struct LeastCostResult {
  std::optional<Candidate> best;  // the cheapest reaching the target; none: nothing reached it
  Evaluation evaluation;
  // The best objective found within the budget (when the target is not reached: how near).
  std::optional<Candidate> closest;
  Evaluation closest_evaluation;
  std::vector<double> budgets;  // the budgets searched, in order (the ceiling first)
};

// least_cost: the cheapest candidate whose mean objective is at most `target`, within `budget`
// (the ceiling), by bisection over the budget with search() (see the top of this file).
// `on_search` is told each budget before it is searched (progress).
LeastCostResult least_cost(const OptimisationPlan& plan, const Candidate& start, double budget,
                           double target, const EvaluateBatch& evaluate,
                           const SearchSettings& settings = {},
                           const std::function<void(double)>& on_search = {});

}  // namespace fourp
