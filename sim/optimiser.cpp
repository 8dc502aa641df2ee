#include "sim/optimiser.h"

#include <nlopt.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>

#include <fmt/format.h>

#include "sim/comparison.h"
#include "sim/model.h"
#include "sim/runner.h"
#include "sim/uncertainty.h"
#include "sim/world.h"

namespace fourp {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const std::string kInterventions = "interventions.";

bool is_subset_choice(const OptimisationChoice& c) {
  return c.kind == OptimisationChoice::Kind::communities;
}

// The key below interventions.<name>. of a number choice: "recruit_per_step",
// "cost.fixed_per_step".
std::string key_of(const OptimisationChoice& c) {
  return c.path.substr(kInterventions.size() + c.intervention.size() + 1);
}

// The value an intervention of a resolved arm runs with at `key` (a settable intervention key).
double intervention_number(const Scenario& s, const ArmConfig& cfg, const InterventionSpec& iv,
                           const std::string& key) {
  if (key == "start") return static_cast<double>(iv.start);
  if (key == "duration")
    return static_cast<double>(iv.duration ? *iv.duration : s.steps - iv.start);
  if (iv.params.size() > 0)
    if (auto i = iv.params.schema().find(key)) return iv.params[*i];
  if (iv.model_overrides.size() > 0)
    if (auto i = iv.model_overrides.schema().find(key); i && iv.model_overrides.is_set(*i))
      return iv.model_overrides[*i];
  for (const ParamValues& section : cfg.sections)
    if (auto i = section.schema().find(key)) return section[*i];
  throw std::logic_error("intervention_number: no value at " + key);
}

Interval interval_of(const std::vector<double>& v) {
  return mean_interval(std::span<const double>(v.data(), v.size()));
}

bool admissible(const OptimisationPlan& plan, const Candidate& c) {
  return within_choices(plan, c) && meets_constraints(plan, c);
}

// a is better than b: a smaller signed objective, then a smaller cost.
bool better(int sign, const Evaluation& a, const Evaluation& b) {
  const double ga = sign * a.objective, gb = sign * b.objective;
  if (ga != gb) return ga < gb;
  return a.cost < b.cost;
}

}  // namespace

// --- Candidates ---------------------------------------------------------------------------------

Candidate current_candidate(const OptimisationPlan& plan) {
  const Scenario& s = plan.scenario;
  const ArmConfig cfg = resolve_arm(s, *s.arm(plan.current));
  const auto find = [&](const std::string& name) -> const InterventionSpec& {
    for (const InterventionSpec& iv : cfg.interventions)
      if (iv.name == name) return iv;
    throw std::logic_error("current_candidate: no intervention " + name);
  };
  Candidate c;
  for (const OptimisationChoice& ch : plan.choices) {
    const InterventionSpec& iv = find(ch.intervention);
    if (is_subset_choice(ch)) {
      std::vector<uint32_t> ids = iv.target.communities;
      if (ids.empty())  // no target list: every community
        for (uint32_t i = 0; i < s.population.communities; ++i) ids.push_back(i);
      std::sort(ids.begin(), ids.end());
      ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
      c.subsets.push_back(std::move(ids));
    } else {
      c.numbers.push_back(intervention_number(s, cfg, iv, key_of(ch)));
    }
  }
  return c;
}

Candidate start_candidate(const OptimisationPlan& plan) {
  Candidate c = current_candidate(plan);
  size_t k = 0, n = 0;
  for (const OptimisationChoice& ch : plan.choices) {
    if (is_subset_choice(ch)) {
      c.subsets[k++].clear();
    } else {
      double& x = c.numbers[n++];
      x = std::clamp(x, ch.min, ch.max);
      if (ch.integer) x = std::clamp(std::round(x), std::ceil(ch.min), std::floor(ch.max));
    }
  }
  return c;
}

Scenario apply_candidate(const OptimisationPlan& plan, const Scenario& scenario,
                         const Candidate& c) {
  Scenario s = scenario;
  Arm& arm = *std::find_if(s.arms.begin(), s.arms.end(),
                           [&](const Arm& a) { return a.name == plan.current; });
  std::erase_if(arm.set, [&](const Setting& set) {
    return std::any_of(plan.choices.begin(), plan.choices.end(),
                       [&](const OptimisationChoice& ch) { return ch.path == set.path; });
  });
  size_t k = 0, n = 0;
  for (const OptimisationChoice& ch : plan.choices) {
    if (is_subset_choice(ch)) {
      const std::vector<uint32_t>& ids = c.subsets.at(k++);
      if (ids.empty()) {  // serving no community: the intervention is left out
        std::erase(arm.interventions, ch.intervention);
        continue;
      }
      for (InterventionSpec& iv : s.interventions)
        if (iv.name == ch.intervention) iv.target.communities = ids;
    } else {
      Diagnostics diag;
      apply_setting(s, Setting{ch.path, c.numbers.at(n++), ch.loc}, diag);
      if (diag.has_errors()) throw std::runtime_error(diag.format());
    }
  }
  return s;
}

Scenario optimum_scenario(const OptimisationPlan& plan, const Candidate& c,
                          const std::string& arm_name) {
  Scenario s = plan.scenario;
  s.outputs = plan.scenario_outputs;
  const Arm& current = *s.arm(plan.current);
  const auto chosen = [&](const std::string& iv) {
    return std::any_of(plan.choices.begin(), plan.choices.end(),
                       [&](const OptimisationChoice& ch) { return ch.intervention == iv; });
  };
  const auto renamed = [](const std::string& iv) { return iv + "-optimum"; };
  // The copies carry the current arm's own settings of their other keys.
  Arm arm;
  arm.name = arm_name;
  arm.loc = current.loc;
  const ArmConfig cfg = resolve_arm(s, current);
  for (const InterventionSpec& iv : cfg.interventions) {
    if (!chosen(iv.name)) {
      arm.interventions.push_back(iv.name);
      continue;
    }
    InterventionSpec copy = iv;
    copy.name = renamed(iv.name);
    s.interventions.push_back(std::move(copy));
    arm.interventions.push_back(renamed(iv.name));
  }
  for (const Setting& set : current.set) {  // settings of model sections and unchosen interventions
    const bool on_chosen =
        std::any_of(plan.choices.begin(), plan.choices.end(), [&](const OptimisationChoice& ch) {
          return set.path.rfind(kInterventions + ch.intervention + ".", 0) == 0;
        });
    if (!on_chosen) arm.set.push_back(set);
  }
  size_t k = 0, n = 0;
  for (const OptimisationChoice& ch : plan.choices) {
    const std::string name = renamed(ch.intervention);
    if (is_subset_choice(ch)) {
      const std::vector<uint32_t>& ids = c.subsets.at(k++);
      if (ids.empty()) {
        std::erase(arm.interventions, name);
        continue;
      }
      for (InterventionSpec& iv : s.interventions)
        if (iv.name == name) iv.target.communities = ids;
    } else {
      Diagnostics diag;
      apply_setting(s, Setting{kInterventions + name + "." + key_of(ch), c.numbers.at(n++), ch.loc},
                    diag);
      if (diag.has_errors()) throw std::runtime_error(diag.format());
    }
  }
  // An uncertain parameter of a chosen intervention is uncertain in its copy too (drawn apart:
  // draws are keyed by the path).
  const size_t uncertain = s.uncertainty.size();
  for (size_t u = 0; u < uncertain; ++u)
    for (const OptimisationChoice& ch : plan.choices) {
      const std::string prefix = kInterventions + ch.intervention + ".";
      if (s.uncertainty[u].path.rfind(prefix, 0) != 0) continue;
      UncertainParameter copy = s.uncertainty[u];
      copy.path = kInterventions + renamed(ch.intervention) + "." + copy.path.substr(prefix.size());
      if (std::none_of(s.uncertainty.begin(), s.uncertainty.end(),
                       [&](const UncertainParameter& x) { return x.path == copy.path; }))
        s.uncertainty.push_back(std::move(copy));
    }
  std::erase_if(s.arms, [&](const Arm& a) { return a.name == arm_name; });
  s.arms.push_back(std::move(arm));
  return s;
}

bool meets_constraint(const OptimisationConstraint& con, const Candidate& c) {
  for (const auto& s : c.subsets)
    for (uint32_t id : con.at_least_one_of)
      if (std::binary_search(s.begin(), s.end(), id)) return true;
  return false;
}

bool meets_constraints(const OptimisationPlan& plan, const Candidate& c) {
  return std::all_of(plan.constraints.begin(), plan.constraints.end(),
                     [&](const OptimisationConstraint& con) { return meets_constraint(con, c); });
}

bool within_choices(const OptimisationPlan& plan, const Candidate& c) {
  size_t k = 0, n = 0;
  for (const OptimisationChoice& ch : plan.choices) {
    if (is_subset_choice(ch)) {
      const auto& s = c.subsets.at(k++);
      if (s.size() < ch.min_count || s.size() > ch.max_count) return false;
      for (uint32_t id : s)
        if (!std::binary_search(ch.pool.begin(), ch.pool.end(), id)) return false;
    } else {
      const double x = c.numbers.at(n++);
      if (x < ch.min || x > ch.max || (ch.integer && x != std::round(x))) return false;
    }
  }
  return true;
}

std::string describe(const OptimisationPlan& plan, const Candidate& c) {
  std::vector<std::string> parts;
  size_t k = 0, n = 0;
  for (const OptimisationChoice& ch : plan.choices) {
    if (is_subset_choice(ch)) {
      const auto& s = c.subsets.at(k++);
      parts.push_back(
          s.empty() ? fmt::format("{} in no community", ch.intervention)
                    : fmt::format("{} in communities {}", ch.intervention, fmt::join(s, ", ")));
    } else {
      parts.push_back(
          fmt::format("{} {:g}", ch.path.substr(kInterventions.size()), c.numbers.at(n++)));
    }
  }
  return fmt::format("{}", fmt::join(parts, "; "));
}

// --- Evaluation ---------------------------------------------------------------------------------

Evaluator::Evaluator(const OptimisationPlan& plan, uint32_t first, uint32_t count, Hooks hooks)
    : plan_(plan), first_(first), count_(count), hooks_(std::move(hooks)) {
  if (plan.scenario.network.kind == NetworkSpec::Kind::file) {
    Diagnostics diag;
    network_file_ = read_network_file(plan.scenario.network, diag);
    if (diag.has_errors()) throw InputError(diag.format());
  }
}

Evaluator::Runs Evaluator::run(size_t K,
                               const std::function<Scenario(size_t, const Scenario&)>& scenario_of,
                               const std::string& arm) {
  const Scenario& base = plan_.scenario;
  const OutputDeclarations& out = base.kind->outputs;
  std::vector<std::pair<size_t, double>> terms;  // (total's index, weight)
  for (const auto& [name, w] : plan_.objective.terms)
    terms.emplace_back(*out.outcome_index(name), w);
  const std::optional<size_t> cost_index = out.outcome_index(out.cost_outcome);
  Runs runs;
  std::vector<double>&objective = runs.objective, &cost = runs.cost;
  std::vector<std::string>& error = runs.error;
  objective.assign(K * count_, 0.0);
  cost.assign(K * count_, 0.0);
  error.assign(K * count_, "");
  const NetworkFile* file = network_file_ ? &*network_file_ : nullptr;
  const uint32_t ranks = std::max(hooks_.ranks, 1u);

  // Across replicates in parallel; inside each run in parallel too (isolated, as run_scenario).
  tbb::parallel_for(
      uint32_t{0}, count_, uint32_t{1},
      [&](uint32_t r) {
        if (r % ranks != hooks_.rank) return;  // another process's
        tbb::this_task_arena::isolate([&] {
          const uint32_t rep = first_ + r;
          std::optional<Scenario> drawn;
          std::optional<World> world;
          try {
            // Replicate r's parameters θ_r, shared by every candidate (common random numbers).
            if (!base.uncertainty.empty())
              drawn.emplace(with_parameters(base, draw_parameters(base, rep)));
            world.emplace(build_world(drawn ? *drawn : base, rep, file));
          } catch (const std::exception& e) {
            for (size_t k = 0; k < K; ++k)
              error[k * count_ + r] =
                  fmt::format("building the world of replicate {}: {}", rep, e.what());
            return;
          }
          RunHooks run_hooks;
          run_hooks.cancel = hooks_.cancel;
          run_hooks.keep_series = false;
          for (size_t k = 0; k < K; ++k) {
            try {
              const Scenario s = scenario_of(k, drawn ? *drawn : base);
              const auto model = s.kind->make(s, resolve_arm(s, *s.arm(arm)));
              const RunResult res = run_on_world(s, *model, *world, rep, run_hooks);
              double g = 0;
              for (const auto& [i, w] : terms) g += w * res.totals.at(i);
              objective[k * count_ + r] = g;
              cost[k * count_ + r] = cost_index ? res.totals.at(*cost_index) : 0.0;
            } catch (const Cancelled&) {
              throw;
            } catch (const std::exception& e) {
              error[k * count_ + r] = fmt::format("replicate {}: {}", rep, e.what());
            }
            if (hooks_.after_run) hooks_.after_run();
          }
        });
      },
      tbb::simple_partitioner{});
  runs_ += K * count_;
  if (ranks > 1 && hooks_.combine) {  // every process's share of the batch, added up
    const size_t n = K * count_;
    std::vector<double> all(3 * n, 0.0);
    for (size_t i = 0; i < n; ++i) {
      all[i] = objective[i];
      all[n + i] = cost[i];
      all[2 * n + i] = error[i].empty() ? 0.0 : 1.0;
    }
    hooks_.combine(all);
    for (size_t i = 0; i < n; ++i) {
      objective[i] = all[i];
      cost[i] = all[n + i];
      if (all[2 * n + i] > 0 && error[i].empty())
        error[i] = fmt::format("replicate {}: failed on another MPI rank", first_ + i % count_);
    }
  }
  return runs;
}

Evaluation Evaluator::summarise(const Runs& runs, size_t k) const {
  Evaluation e;
  e.ok = true;
  for (uint32_t r = 0; r < count_ && e.ok; ++r)
    if (!runs.error[k * count_ + r].empty()) {
      e.ok = false;
      e.error = runs.error[k * count_ + r];
    }
  e.objective_by_replicate.assign(runs.objective.begin() + k * count_,
                                  runs.objective.begin() + (k + 1) * count_);
  e.cost_by_replicate.assign(runs.cost.begin() + k * count_, runs.cost.begin() + (k + 1) * count_);
  if (e.ok) {
    const Interval g = interval_of(e.objective_by_replicate), c = interval_of(e.cost_by_replicate);
    e.objective = g.mean, e.objective_half = (g.high - g.low) / 2;
    e.cost = c.mean, e.cost_half = (c.high - c.low) / 2;
  } else {
    e.objective = e.cost = std::nan("");
  }
  return e;
}

std::vector<Evaluation> Evaluator::evaluate(const std::vector<Candidate>& batch) {
  // The distinct candidates not yet evaluated, in the order of the batch.
  std::vector<size_t> todo;
  std::map<Candidate, size_t> fresh;
  for (size_t i = 0; i < batch.size(); ++i)
    if (!index_.count(batch[i]) && !fresh.count(batch[i])) {
      fresh.emplace(batch[i], todo.size());
      todo.push_back(i);
    }
  const Runs runs = run(
      todo.size(),
      [&](size_t k, const Scenario& s) { return apply_candidate(plan_, s, batch[todo[k]]); },
      plan_.current);
  for (size_t k = 0; k < todo.size(); ++k) {
    index_.emplace(batch[todo[k]], history_.size());
    history_.emplace_back(batch[todo[k]], summarise(runs, k));
    if (hooks_.on_evaluated) hooks_.on_evaluated(history_.back().first, history_.back().second);
  }
  std::vector<Evaluation> result;
  result.reserve(batch.size());
  for (const Candidate& c : batch) result.push_back(history_[index_.at(c)].second);
  return result;
}

Evaluation Evaluator::evaluate_arm(const std::string& arm) {
  const auto as_written = [](size_t, const Scenario& s) { return s; };
  return summarise(run(1, as_written, arm), 0);
}

void Evaluator::preload(const Candidate& c, const Evaluation& e) {
  if (!index_.emplace(c, history_.size()).second) return;
  history_.emplace_back(c, e);
  runs_ += count_;  // as many as evaluating it took: the results file counts them alike
}

// --- Search -------------------------------------------------------------------------------------

namespace {

class Search {
 public:
  Search(const OptimisationPlan& plan, double budget, const EvaluateBatch& evaluate,
         const SearchSettings& settings)
      : plan_(plan), budget_(budget), evaluate_(evaluate), settings_(settings) {}

  SearchResult run(Candidate x);

 private:
  std::vector<Evaluation> eval(const std::vector<Candidate>& cs);
  Evaluation eval(const Candidate& c) { return eval(std::vector<Candidate>{c}).front(); }
  bool fits(const Evaluation& e) const { return e.ok && e.cost <= budget_; }
  double g(const Evaluation& e) const { return e.ok ? plan_.objective.sign * e.objective : kInf; }
  void greedy(Candidate& x, const std::vector<size_t>& subsets);
  bool local(Candidate& x, size_t j);
  bool numbers(Candidate& x);

  const OptimisationPlan& plan_;
  double budget_;
  const EvaluateBatch& evaluate_;
  SearchSettings settings_;
  SearchResult result_;
  std::map<Candidate, bool> seen_;
};

std::vector<Evaluation> Search::eval(const std::vector<Candidate>& cs) {
  std::vector<Evaluation> es = evaluate_(cs);
  for (size_t i = 0; i < cs.size(); ++i) {
    const Candidate& c = cs[i];
    const Evaluation& e = es[i];
    if (!seen_.emplace(c, true).second) continue;
    ++result_.candidates;
    if (!e.ok || !admissible(plan_, c)) continue;
    if (e.cost <= budget_ &&
        (!result_.best || better(plan_.objective.sign, e, result_.evaluation))) {
      result_.best = c;
      result_.evaluation = e;
    }
    if (!result_.cheapest || e.cost < result_.cheapest_evaluation.cost) {
      result_.cheapest = c;
      result_.cheapest_evaluation = e;
    }
  }
  return es;
}

// The communities of `pool` not in `s`.
std::vector<uint32_t> outside(const std::vector<uint32_t>& pool, const std::vector<uint32_t>& s) {
  std::vector<uint32_t> out;
  std::set_difference(pool.begin(), pool.end(), s.begin(), s.end(), std::back_inserter(out));
  return out;
}

std::vector<uint32_t> with(std::vector<uint32_t> s, uint32_t add) {
  s.insert(std::upper_bound(s.begin(), s.end(), add), add);
  return s;
}
std::vector<uint32_t> without(std::vector<uint32_t> s, uint32_t drop) {
  std::erase(s, drop);
  return s;
}

// Greedy marginal analysis over every communities choice at once: from empty sets, add the
// (choice, community) whose improvement per extra unit of cost, (g(S) − g(S + k)) /
// (c(S + k) − c(S)), is largest among additions that stay within the budget and improve. While a
// constraint is unmet, or a set is below its minimum, only additions towards it are considered
// and the best outcome that fits is taken (they are required, whatever they cost).
void Search::greedy(Candidate& x, const std::vector<size_t>& subsets) {
  for (size_t j : subsets) x.subsets[j].clear();
  Evaluation cur = eval(x);
  for (;;) {
    std::vector<uint32_t> helpers;  // communities of unmet constraints
    for (const OptimisationConstraint& con : plan_.constraints) {
      bool served = false;
      for (const auto& s : x.subsets)
        for (uint32_t id : con.at_least_one_of)
          served = served || std::binary_search(s.begin(), s.end(), id);
      if (!served)
        helpers.insert(helpers.end(), con.at_least_one_of.begin(), con.at_least_one_of.end());
    }
    std::vector<std::pair<size_t, uint32_t>> adds, towards, below;  // (choice, community)
    for (size_t j : subsets) {
      const OptimisationChoice& ch = plan_.choices[j];
      if (x.subsets[j].size() >= ch.max_count) continue;
      for (uint32_t k : outside(ch.pool, x.subsets[j])) {
        adds.emplace_back(j, k);
        if (std::find(helpers.begin(), helpers.end(), k) != helpers.end())
          towards.emplace_back(j, k);
        if (x.subsets[j].size() < ch.min_count) below.emplace_back(j, k);
      }
    }
    const bool need = !towards.empty() || !below.empty();
    if (!towards.empty())
      adds = towards;
    else if (!below.empty())
      adds = below;
    if (adds.empty()) break;
    std::vector<Candidate> cs;
    for (const auto& [j, k] : adds) {
      Candidate c = x;
      c.subsets[j] = with(x.subsets[j], k);
      cs.push_back(std::move(c));
    }
    const std::vector<Evaluation> es = eval(cs);
    std::optional<size_t> pick;
    double pick_score = -kInf;
    for (size_t i = 0; i < cs.size(); ++i) {
      if (!fits(es[i])) continue;
      double score;
      if (need) {
        score = -g(es[i]);  // required: the best outcome that fits
      } else {
        const double gain = g(cur) - g(es[i]), extra = es[i].cost - cur.cost;
        if (!(gain > 0)) continue;
        score = extra <= 0 ? kInf : gain / extra;
      }
      if (!pick || score > pick_score ||
          (score == pick_score && better(plan_.objective.sign, es[i], es[*pick]))) {
        pick = i;
        pick_score = score;
      }
    }
    if (!pick) break;
    x = cs[*pick];
    cur = es[*pick];
  }
}

// Local search on choice j: the best improving feasible move among adding one community,
// dropping one and swapping one in for one out, until none improves.
bool Search::local(Candidate& x, size_t j) {
  const OptimisationChoice& ch = plan_.choices[j];
  bool changed = false;
  Evaluation cur = eval(x);
  for (uint32_t move = 0; move < settings_.max_local_moves; ++move) {
    const std::vector<uint32_t>& s = x.subsets[j];
    const std::vector<uint32_t> out = outside(ch.pool, s);
    std::vector<Candidate> cs;
    const auto add = [&](std::vector<uint32_t> subset) {
      Candidate c = x;
      c.subsets[j] = std::move(subset);
      if (meets_constraints(plan_, c)) cs.push_back(std::move(c));
    };
    if (s.size() < ch.max_count)
      for (uint32_t k : out) add(with(s, k));
    if (s.size() > ch.min_count)
      for (uint32_t k : s) add(without(s, k));
    for (uint32_t in : s)
      for (uint32_t k : out) add(with(without(s, in), k));
    if (cs.empty()) break;
    const std::vector<Evaluation> es = eval(cs);
    std::optional<size_t> pick;
    for (size_t i = 0; i < cs.size(); ++i) {
      if (!fits(es[i])) continue;
      const bool improves = fits(cur) ? g(es[i]) < g(cur) : true;
      if (!improves) continue;
      if (!pick || better(plan_.objective.sign, es[i], es[*pick])) pick = i;
    }
    if (!pick) break;
    x = cs[*pick];
    cur = es[*pick];
    changed = true;
  }
  return changed;
}

// NLopt's callbacks: the search, the candidate whose numbers vary, and an exception to rethrow
// (an exception must not cross NLopt's C code).
struct NumberProblem {
  Candidate base;
  const OptimisationPlan* plan = nullptr;
  std::function<Evaluation(const Candidate&)> eval;
  double budget = 0;
  std::exception_ptr error;
  nlopt_opt opt = nullptr;

  Candidate at(const double* u) const {
    Candidate c = base;
    size_t n = 0;
    for (const OptimisationChoice& ch : plan->choices) {
      if (is_subset_choice(ch)) continue;
      double x = ch.min + std::clamp(u[n], 0.0, 1.0) * (ch.max - ch.min);
      if (ch.integer) x = std::clamp(std::round(x), std::ceil(ch.min), std::floor(ch.max));
      c.numbers[n++] = x;
    }
    return c;
  }
  std::optional<Evaluation> value(const double* u) {
    try {
      return eval(at(u));
    } catch (...) {
      error = std::current_exception();
      nlopt_force_stop(opt);
      return std::nullopt;
    }
  }
};

// A failed candidate reads as this bad to NLopt (COBYLA needs finite values).
constexpr double kFailed = 1e300;

double number_objective(unsigned, const double* u, double*, void* data) {
  auto* p = static_cast<NumberProblem*>(data);
  const auto e = p->value(u);
  if (!e || !e->ok) return kFailed;
  return p->plan->objective.sign * e->objective;
}

// Mean cost over the budget, as a share of the budget: ≤ 0 when feasible.
double budget_constraint(unsigned, const double* u, double*, void* data) {
  auto* p = static_cast<NumberProblem*>(data);
  const auto e = p->value(u);
  if (!e || !e->ok) return 1.0;
  return (e->cost - p->budget) / std::max(p->budget, 1.0);
}

bool Search::numbers(Candidate& x) {
  std::vector<double> u;
  for (size_t n = 0, i = 0; i < plan_.choices.size(); ++i) {
    const OptimisationChoice& ch = plan_.choices[i];
    if (is_subset_choice(ch)) continue;
    u.push_back((x.numbers[n++] - ch.min) / (ch.max - ch.min));
  }
  if (u.empty()) return false;
  const std::optional<Candidate> before = result_.best;
  NumberProblem problem;
  problem.base = x;
  problem.plan = &plan_;
  problem.eval = [this](const Candidate& c) { return eval(c); };
  problem.budget = budget_;
  nlopt_opt opt = nlopt_create(NLOPT_LN_COBYLA, static_cast<unsigned>(u.size()));
  problem.opt = opt;
  nlopt_set_lower_bounds1(opt, 0.0);
  nlopt_set_upper_bounds1(opt, 1.0);
  nlopt_set_min_objective(opt, number_objective, &problem);
  nlopt_add_inequality_constraint(opt, budget_constraint, &problem, 0.0);
  nlopt_set_xtol_abs1(opt, 1e-3);
  nlopt_set_initial_step1(opt, 0.25);
  nlopt_set_maxeval(opt, static_cast<int>(8 + settings_.evaluations_per_number * u.size()));
  double value = 0;
  nlopt_optimize(opt, u.data(), &value);  // its answer is read from the evaluations below
  nlopt_destroy(opt);
  if (problem.error) std::rethrow_exception(problem.error);
  // Move to the best feasible candidate with x's subsets, if the phase found a better one.
  if (result_.best && result_.best != before && result_.best->subsets == x.subsets) {
    x = *result_.best;
    return true;
  }
  return false;
}

SearchResult Search::run(Candidate x) {
  std::vector<size_t> subsets;
  for (size_t j = 0; j < plan_.choices.size(); ++j)
    if (is_subset_choice(plan_.choices[j])) subsets.push_back(j);
  greedy(x, subsets);
  for (size_t j : subsets) local(x, j);
  numbers(x);
  for (uint32_t round = 1; round < settings_.max_rounds; ++round) {
    bool changed = false;
    for (size_t j : subsets) changed = local(x, j) || changed;
    changed = numbers(x) || changed;
    if (!changed) break;
  }
  return result_;
}

}  // namespace

SearchResult search(const OptimisationPlan& plan, const Candidate& start, double budget,
                    const EvaluateBatch& evaluate, const SearchSettings& settings) {
  return Search(plan, budget, evaluate, settings).run(start);
}

std::optional<size_t> cheapest_reaching(
    const OptimisationPlan& plan, const std::vector<std::pair<Candidate, Evaluation>>& history,
    double target, double budget) {
  std::optional<size_t> best;
  for (size_t i = 0; i < history.size(); ++i) {
    const auto& [c, e] = history[i];
    if (!e.ok || e.cost > budget || e.objective > target || !admissible(plan, c)) continue;
    const Evaluation& b = history[best ? *best : 0].second;
    if (!best || e.cost < b.cost || (e.cost == b.cost && e.objective < b.objective)) best = i;
  }
  return best;
}

LeastCostResult least_cost(const OptimisationPlan& plan, const Candidate& start, double budget,
                           double target, const EvaluateBatch& evaluate,
                           const SearchSettings& settings,
                           const std::function<void(double)>& on_search) {
  // Every evaluation of every search, in order (a search's cache hits included): the answer is
  // the cheapest of them that reaches the target, whichever search asked for it.
  std::vector<std::pair<Candidate, Evaluation>> seen;
  std::map<Candidate, bool> known;
  const EvaluateBatch recorded = [&](const std::vector<Candidate>& cs) {
    std::vector<Evaluation> es = evaluate(cs);
    for (size_t i = 0; i < cs.size(); ++i)
      if (known.emplace(cs[i], true).second) seen.emplace_back(cs[i], es[i]);
    return es;
  };
  LeastCostResult out;
  out.budgets.push_back(budget);
  if (on_search) on_search(budget);
  const SearchResult top = search(plan, start, budget, recorded, settings);
  out.closest = top.best;
  out.closest_evaluation = top.evaluation;
  std::optional<size_t> reach = cheapest_reaching(plan, seen, target, budget);
  if (!reach) return out;
  // lo: the cost of the cheapest admissible candidate evaluated, which does not reach the target
  // (else it would be the cheapest that does).
  double lo = seen[*reach].second.cost;
  for (const auto& [c, e] : seen)
    if (e.ok && admissible(plan, c)) lo = std::min(lo, e.cost);
  double hi = seen[*reach].second.cost;
  for (uint32_t step = 0; step < settings.bisection_steps; ++step) {
    if (!(hi - lo > settings.bisection_tolerance * hi)) break;
    const double mid = (lo + hi) / 2;
    out.budgets.push_back(mid);
    if (on_search) on_search(mid);
    search(plan, start, mid, recorded, settings);
    reach = cheapest_reaching(plan, seen, target, budget);
    hi = seen[*reach].second.cost;  // the search at mid may have met a cheaper one, over mid
    if (hi > mid) lo = mid;
  }
  out.best = seen[*reach].first;
  out.evaluation = seen[*reach].second;
  return out;
}

std::optional<size_t> best_in(const OptimisationPlan& plan,
                              const std::vector<std::pair<Candidate, Evaluation>>& history,
                              double budget) {
  std::optional<size_t> best;
  for (size_t i = 0; i < history.size(); ++i) {
    const auto& [c, e] = history[i];
    if (!e.ok || e.cost > budget || !admissible(plan, c)) continue;
    if (!best || better(plan.objective.sign, e, history[*best].second)) best = i;
  }
  return best;
}

}  // namespace fourp
