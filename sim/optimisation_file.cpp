#include "sim/optimisation_file.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "sim/plan_reader.h"
#include "sim/scenario_parse.h"
#include "sim/yaml_document.h"
#include "sim/yaml_input.h"

namespace fourp {

namespace fs = std::filesystem;
using namespace yaml_input;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
const char* const kTopKeys[] = {"name",      "description", "scenario",    "current", "budget",
                                "objective", "choices",     "constraints", "curve",   "evaluation",
                                "seed",      "mode",        "target"};
const char* const kCommunitiesSuffix = ".target.communities";

class Reader : public YamlReader {
 public:
  Reader(std::string label, const Catalog& catalog, Diagnostics& diag)
      : YamlReader(std::move(label), diag, Style{"the optimisation file", false}),
        catalog_(catalog) {}

  void read(const YAML::Node& root, OptimisationPlan& plan);

 private:
  bool read_scenario(const Value& v, OptimisationPlan& plan);
  bool read_current(const std::optional<Value>& v, OptimisationPlan& plan);
  void read_objective(const std::optional<Value>& v, OptimisationPlan& plan);
  void read_choices(const std::optional<Value>& v, OptimisationPlan& plan);
  std::optional<OptimisationChoice> read_subset(const Entry& e, const OptimisationPlan& plan);
  std::optional<OptimisationChoice> read_number(const Entry& e, const SettablePath& p);
  void read_constraints(const std::optional<Value>& v, OptimisationPlan& plan);
  void read_curve(const std::optional<Value>& v, OptimisationPlan& plan);
  void read_evaluation(const std::optional<Value>& v, OptimisationPlan& plan);
  void read_mode(const std::optional<Value>& v, OptimisationPlan& plan);
  void read_target(const std::optional<Value>& mode, const std::optional<Value>& v,
                   OptimisationPlan& plan);
  std::optional<std::vector<uint32_t>> communities(const Value& v, const OptimisationPlan& plan);

  const Catalog& catalog_;
};

void Reader::read(const YAML::Node& root, OptimisationPlan& plan) {
  const Value top{root, "", at(root.Mark()), at(root.Mark())};
  const std::vector<Entry> all = entries(top);
  const std::vector<std::string> keys(std::begin(kTopKeys), std::end(kTopKeys));
  for (const Entry& e : all)
    if (std::find(keys.begin(), keys.end(), e.key) == keys.end()) unknown_key(e, "", keys);
  auto get = [&](const char* key) -> std::optional<Value> {
    if (const Entry* e = find_entry(all, key)) return e->value;
    return std::nullopt;
  };
  if (auto b = get("budget")) {
    if (auto x = number(*b, real_number("budget", 0, kInf))) plan.budget = *x;
    plan.budget_loc = b->loc;
  } else {
    missing("budget", "the money there is, in the scenario's currency, e.g. budget: 1200000");
  }
  read_curve(get("curve"), plan);
  read_evaluation(get("evaluation"), plan);
  read_mode(get("mode"), plan);
  const std::optional<Value> scenario = get("scenario");
  if (!scenario) {
    missing("scenario",
            "the scenario whose arm is optimised (relative to this file), e.g. "
            "scenario: ../rural-district.yaml");
    return;
  }
  if (!read_scenario(*scenario, plan)) return;  // nothing else can be checked without it
  if (auto s = get("seed")) {
    if (auto x = number(*s, whole_number("seed", 0, 4294967295.0)))
      plan.scenario.seed = static_cast<uint64_t>(*x);
  }
  read_objective(get("objective"), plan);
  read_target(get("mode"), get("target"), plan);
  if (!read_current(get("current"), plan)) return;
  read_choices(get("choices"), plan);
  read_constraints(get("constraints"), plan);
}

bool Reader::read_scenario(const Value& v, OptimisationPlan& plan) {
  auto name = text(v);
  if (!name) return false;
  std::optional<Scenario> scenario =
      parse_named_scenario(v, *name, file_, catalog_, diag_, "optimisation");
  if (!scenario) return false;  // nothing else can be checked without it
  plan.scenario = std::move(*scenario);
  // An optimisation needs each run's totals only.
  plan.scenario_outputs = plan.scenario.outputs;
  plan.scenario.outputs.snapshots.clear();
  plan.scenario.outputs.by_community = false;
  return true;
}

bool Reader::read_current(const std::optional<Value>& v, OptimisationPlan& plan) {
  if (!v) {
    const auto& arms = plan.scenario.arms;
    missing("current", fmt::format("the arm that is today's plan, whose interventions are "
                                   "chosen on, e.g. current: {}",
                                   arms.empty() ? std::string("<arm>") : arms.back().name)
                           .c_str());
    return false;
  }
  auto name = text(*v);
  if (!name) return false;
  std::vector<std::string> arms;
  for (const Arm& a : plan.scenario.arms) arms.push_back(a.name);
  const Arm* arm = plan.scenario.arm(*name);
  if (!arm) {
    diag_.error(v->loc, fmt::format("current: unknown arm '{}' of the scenario{}", *name,
                                    hint_and_list(*name, arms, "its arms")));
    return false;
  }
  if (arm->interventions.empty()) {
    diag_.error(v->loc, fmt::format("current: arm '{}' has no interventions to choose on", *name));
    return false;
  }
  plan.current = *name;
  return true;
}

void Reader::read_objective(const std::optional<Value>& v, OptimisationPlan& plan) {
  if (!v) {
    const std::string& headline = plan.scenario.kind ? plan.scenario.kind->outputs.headline : "";
    missing("objective", fmt::format("the outcome to improve, e.g. objective: {{minimise: {}}}",
                                     headline.empty() ? "<outcome>" : headline)
                             .c_str());
    return;
  }
  const OutputDeclarations& out = plan.scenario.kind->outputs;
  const std::vector<std::string> names = out.outcome_names();
  const auto outcome = [&](const Value& x, double weight) {
    auto name = text(x);
    if (!name) return;
    if (!out.find_outcome(*name)) {
      diag_.error(x.loc, fmt::format("{}: unknown outcome '{}'{}", x.path, *name,
                                     hint_and_list(*name, names, "the model's outcomes")));
      return;
    }
    plan.objective.terms.emplace_back(*name, weight);
  };
  const std::vector<Entry> all = entries(*v);
  if (all.size() != 1 && !all.empty()) {
    diag_.error(v->loc, "objective: give one of minimise or maximise");
    return;
  }
  for (const Entry& e : all) {
    if (e.key != "minimise" && e.key != "maximise") {
      unknown_key(e, "objective", {"minimise", "maximise"});
      continue;
    }
    plan.objective.sign = e.key == "minimise" ? 1 : -1;
    if (e.value.node.IsMap()) {  // a weighted sum {outcome: weight, ...}
      for (const Entry& t : entries(e.value)) {
        const auto w = number(t.value, real_number("weight", -kInf, kInf));
        Value key = t.value;
        key.node = YAML::Node(t.key);
        key.loc = t.value.key_loc;
        if (w) outcome(key, *w);
      }
    } else {
      outcome(e.value, 1.0);
    }
  }
  if (all.empty()) diag_.error(v->loc, "objective: give one of minimise or maximise");
}

void Reader::read_choices(const std::optional<Value>& v, OptimisationPlan& plan) {
  if (!v) {
    const auto& ivs = plan.scenario.interventions;
    missing("choices", fmt::format("what may change, e.g. choices: {{interventions.{}.target."
                                   "communities: {{subset_of: all, min: 1}}}}",
                                   ivs.empty() ? std::string("<name>") : ivs.front().name)
                           .c_str());
    return;
  }
  const Arm& arm = *plan.scenario.arm(plan.current);
  std::vector<SettablePath> paths;  // of the current arm's interventions
  std::vector<std::string> names;
  for (const SettablePath& p : settable_paths(plan.scenario))
    for (const std::string& iv : arm.interventions)
      if (p.path.rfind("interventions." + iv + ".", 0) == 0) {
        paths.push_back(p);
        names.push_back(p.path);
      }
  for (const std::string& iv : arm.interventions)
    names.push_back("interventions." + iv + kCommunitiesSuffix);
  const auto uncertain = [&](const std::string& path) {
    return std::any_of(plan.scenario.uncertainty.begin(), plan.scenario.uncertainty.end(),
                       [&](const UncertainParameter& u) { return u.path == path; });
  };
  std::vector<OptimisationChoice> subsets, numbers;
  for (const Entry& e : entries(*v)) {
    if (std::find(names.begin(), names.end(), e.key) == names.end()) {
      diag_.error(e.value.key_loc,
                  fmt::format("choices: '{}' is not a path of the current arm's interventions "
                              "({}){}",
                              e.key, list_words(arm.interventions), hint(e.key, names)));
      continue;
    }
    if (uncertain(e.key)) {
      diag_.error(e.value.key_loc,
                  fmt::format("choices: '{}' is uncertain in the scenario; a choice is a "
                              "decision, not a draw: leave it out of one of them",
                              e.key));
      continue;
    }
    const bool subset = e.key.size() > std::string(kCommunitiesSuffix).size() &&
                        e.key.ends_with(kCommunitiesSuffix);
    if (subset) {
      if (auto c = read_subset(e, plan)) subsets.push_back(std::move(*c));
    } else {
      const auto p = std::find_if(paths.begin(), paths.end(),
                                  [&](const SettablePath& s) { return s.path == e.key; });
      if (auto c = read_number(e, *p)) numbers.push_back(std::move(*c));
    }
  }
  if (subsets.empty() && numbers.empty() && !diag_.has_errors())
    diag_.error(v->loc, "choices: name at least one choice");
  plan.choices = std::move(subsets);
  for (auto& c : numbers) plan.choices.push_back(std::move(c));
}

std::optional<std::vector<uint32_t>> Reader::communities(const Value& v,
                                                         const OptimisationPlan& plan) {
  auto list = items(v, "a list of community ids");
  if (!list) return std::nullopt;
  if (list->empty()) {
    diag_.error(v.loc, fmt::format("{}: name at least one community", v.path));
    return std::nullopt;
  }
  const uint32_t C = plan.scenario.population.communities;
  std::vector<uint32_t> out;
  bool ok = true;
  for (const Value& item : *list) {
    auto x = number(item, whole_number("community", 0, kInf));
    if (!x) {
      ok = false;
    } else if (*x >= C) {
      diag_.error(item.loc, fmt::format("{}: unknown community {} (the scenario has {}, numbered "
                                        "0 to {})",
                                        item.path, *x, C, C - 1));
      ok = false;
    } else {
      out.push_back(static_cast<uint32_t>(*x));
    }
  }
  if (!ok) return std::nullopt;
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<OptimisationChoice> Reader::read_subset(const Entry& e,
                                                      const OptimisationPlan& plan) {
  OptimisationChoice c;
  c.kind = OptimisationChoice::Kind::communities;
  c.path = e.key;
  c.intervention = e.key.substr(
      std::string("interventions.").size(),
      e.key.size() - std::string("interventions.").size() - std::string(kCommunitiesSuffix).size());
  c.loc = e.value.key_loc;
  if (!e.value.node.IsMap()) {
    diag_.error(e.value.loc, fmt::format("{}: expected {{subset_of: all, min: 1}}, got {}",
                                         e.value.path, describe(e.value.node)));
    return std::nullopt;
  }
  bool ok = true, pool = false;
  std::optional<double> min, max;
  const Value* max_at = nullptr;
  const std::vector<Entry> all = entries(e.value);
  for (const Entry& k : all) {
    if (k.key == "subset_of") {
      pool = true;
      if (k.value.node.IsScalar() && k.value.node.Scalar() == "all") {
        for (uint32_t i = 0; i < plan.scenario.population.communities; ++i) c.pool.push_back(i);
      } else if (auto list = communities(k.value, plan)) {
        c.pool = *list;
      } else {
        ok = false;
      }
    } else if (k.key == "min") {
      min = number(k.value, whole_number("min", 0, kInf));
      ok = ok && min;
    } else if (k.key == "max") {
      max = number(k.value, whole_number("max", 0, kInf));
      max_at = &k.value;
      ok = ok && max;
    } else {
      unknown_key(k, e.value.path, {"subset_of", "min", "max"});
      ok = false;
    }
  }
  if (!pool) {
    diag_.error(
        e.value.loc,
        fmt::format("{}: missing key 'subset_of' (all, or a list of communities)", e.value.path));
    return std::nullopt;
  }
  if (!ok) return std::nullopt;
  const uint32_t n = static_cast<uint32_t>(c.pool.size());
  c.min_count = min ? static_cast<uint32_t>(*min) : 0;
  c.max_count = max ? static_cast<uint32_t>(std::min<double>(*max, n)) : n;
  if (c.min_count > c.max_count) {
    const Entry* m = find_entry(all, "min");
    diag_.error(m->value.loc, fmt::format("{}.min: {} is more than the {} communities that may be "
                                          "chosen",
                                          e.value.path, c.min_count, c.max_count));
    return std::nullopt;
  }
  if (max_at && *max < 1) {
    diag_.error(max_at->loc, fmt::format("{}.max: must be at least 1", e.value.path));
    return std::nullopt;
  }
  return c;
}

std::optional<OptimisationChoice> Reader::read_number(const Entry& e, const SettablePath& p) {
  OptimisationChoice c;
  c.kind = OptimisationChoice::Kind::number;
  c.path = e.key;
  c.intervention = e.key.substr(std::string("interventions.").size());
  c.intervention = c.intervention.substr(0, c.intervention.find('.'));
  c.loc = e.value.key_loc;
  c.integer = p.spec.integer;
  Value range = e.value;
  if (range.node.IsMap()) {
    const std::vector<Entry> outer = entries(range);
    if (outer.size() == 1 && outer[0].key == "integer") {
      c.integer = true;
      range = outer[0].value;
    }
  }
  if (!range.node.IsMap()) {
    diag_.error(range.loc,
                fmt::format("{}: expected {{min: a, max: b}} or {{integer: {{min: a, max: b}}}}, "
                            "got {}",
                            range.path, describe(range.node)));
    return std::nullopt;
  }
  ParamSpec spec = p.spec;
  spec.integer = c.integer;
  std::optional<double> min, max;
  std::optional<Value> max_at;
  bool ok = true;
  for (const Entry& k : entries(range)) {
    Value x = k.value;
    x.path = e.key + "." + k.key;  // the range is the path's: name it in messages
    if (k.key == "min") {
      min = number(x, spec);
      ok = ok && min;
    } else if (k.key == "max") {
      max = number(x, spec);
      max_at = k.value;
      ok = ok && max;
    } else {
      unknown_key(k, range.path, {"min", "max", "integer"});
      ok = false;
    }
  }
  if (ok && (!min || !max)) {
    diag_.error(range.loc, fmt::format("{}: give both min and max", range.path));
    return std::nullopt;
  }
  if (!ok) return std::nullopt;
  if (!(*min < *max)) {
    diag_.error(max_at->loc,
                fmt::format("{}: max ({}) must be above min ({})", range.path, *max, *min));
    return std::nullopt;
  }
  c.min = *min;
  c.max = *max;
  return c;
}

void Reader::read_constraints(const std::optional<Value>& v, OptimisationPlan& plan) {
  if (!v) return;
  auto list = items(*v, "a list of constraints");
  if (!list) return;
  std::vector<uint32_t> choosable;
  for (const OptimisationChoice& c : plan.choices)
    choosable.insert(choosable.end(), c.pool.begin(), c.pool.end());
  for (const Value& item : *list) {
    if (!item.node.IsMap()) {
      diag_.error(item.loc, fmt::format("{}: expected a constraint such as {{at_least_one_of: "
                                        "{{communities: [0, 1, 2]}}}}, got {}",
                                        item.path, describe(item.node)));
      continue;
    }
    for (const Entry& e : entries(item)) {
      if (e.key != "at_least_one_of") {
        unknown_key(e, item.path, {"at_least_one_of"});
        continue;
      }
      for (const Entry& k : entries(e.value)) {
        if (k.key != "communities") {
          unknown_key(k, e.value.path, {"communities"});
          continue;
        }
        auto ids = communities(k.value, plan);
        if (!ids) continue;
        if (std::none_of(ids->begin(), ids->end(), [&](uint32_t c) {
              return std::find(choosable.begin(), choosable.end(), c) != choosable.end();
            })) {
          diag_.error(k.value.loc,
                      fmt::format("{}: no choice may serve any of these communities: add a "
                                  "choice of target.communities that includes them",
                                  k.value.path));
          continue;
        }
        plan.constraints.push_back({*ids, e.value.key_loc});
      }
    }
  }
}

void Reader::read_curve(const std::optional<Value>& v, OptimisationPlan& plan) {
  if (!v) return;
  for (const Entry& e : entries(*v)) {
    if (e.key != "budgets") {
      unknown_key(e, "curve", {"budgets"});
      continue;
    }
    auto list = items(e.value, "a list of budgets");
    if (!list) continue;
    for (const Value& item : *list)
      if (auto x = number(item, real_number("budget", 0, kInf))) plan.curve.push_back(*x);
  }
  std::sort(plan.curve.begin(), plan.curve.end());
  plan.curve.erase(std::unique(plan.curve.begin(), plan.curve.end()), plan.curve.end());
}

void Reader::read_evaluation(const std::optional<Value>& v, OptimisationPlan& plan) {
  if (!v) return;
  for (const Entry& e : entries(*v)) {
    // At least 2 replicates: an interval needs a spread.
    if (e.key == "replicates") {
      if (auto x = number(e.value, whole_number("replicates", 2, 100000)))
        plan.replicates = static_cast<uint32_t>(*x);
    } else if (e.key == "confirm_replicates") {
      if (auto x = number(e.value, whole_number("confirm_replicates", 2, 100000)))
        plan.confirm_replicates = static_cast<uint32_t>(*x);
    } else {
      unknown_key(e, "evaluation", {"replicates", "confirm_replicates"});
    }
  }
}

void Reader::read_mode(const std::optional<Value>& v, OptimisationPlan& plan) {
  if (!v) return;
  auto m = text(*v);
  if (!m || *m == "best_outcome") return;
  if (*m == "least_cost")
    plan.mode = OptimisationMode::least_cost;
  else
    diag_.error(v->loc, fmt::format("mode: unknown mode '{}'{}", *m,
                                    hint_and_list(*m, {"best_outcome", "least_cost"}, "modes")));
}

// `target: {<outcome>_reduction: r}` with `mode: least_cost`, the outcome the objective's own:
// read against the model's declared outcomes, never a fixed name.
void Reader::read_target(const std::optional<Value>& mode, const std::optional<Value>& v,
                         OptimisationPlan& plan) {
  const bool least_cost = plan.mode == OptimisationMode::least_cost;
  const std::string example =
      plan.objective.terms.empty() ? std::string("<outcome>") : plan.objective.terms[0].first;
  if (!v) {
    if (least_cost)
      diag_.error(mode->loc, fmt::format("mode: least_cost needs a target, the reduction to reach "
                                         "against the baseline arm, e.g. target: {{{}_reduction: "
                                         "0.2}}",
                                         example));
    return;
  }
  if (!least_cost) {
    if (mode && !(mode->node.IsScalar() && mode->node.Scalar() == "best_outcome"))
      return;  // the mode's own error says it
    diag_.error(v->key_loc,
                "target: only with mode: least_cost (the cheapest allocation that "
                "reaches it): add mode: least_cost, or leave the target out");
    return;
  }
  if (plan.objective.terms.size() != 1 || plan.objective.sign < 0) {
    if (!plan.objective.terms.empty())
      diag_.error(mode->loc, fmt::format("mode: least_cost reduces one outcome: give objective: "
                                         "{{minimise: <outcome>}} (not {})",
                                         plan.objective.describe()));
    return;
  }
  const OutputDeclarations& out = plan.scenario.kind->outputs;
  std::vector<std::string> keys;
  for (const std::string& name : out.outcome_names()) keys.push_back(name + "_reduction");
  const std::vector<Entry> all = entries(*v);
  if (all.size() != 1) {
    diag_.error(v->loc, fmt::format("target: give one reduction, e.g. target: {{{}_reduction: "
                                    "0.2}}",
                                    example));
    return;
  }
  const Entry& e = all[0];
  if (std::find(keys.begin(), keys.end(), e.key) == keys.end()) {
    unknown_key(e, "target", keys);
    return;
  }
  const std::string outcome = e.key.substr(0, e.key.size() - std::string("_reduction").size());
  if (outcome != example) {
    diag_.error(e.value.key_loc,
                fmt::format("target: '{}' reduces {}, but the objective is to {}: the target "
                            "reduces the objective's outcome ({}_reduction)",
                            e.key, outcome, plan.objective.describe(), example));
    return;
  }
  const auto r = number(e.value, real_number("reduction", 0, 1));
  if (!r) return;
  if (!(*r > 0 && *r < 1)) {
    diag_.error(e.value.loc, fmt::format("{} = {:g} is out of range (a share between 0 and 1, "
                                         "both excluded: 0.2 is 20% less than the baseline arm)",
                                         e.value.path, *r));
    return;
  }
  plan.target = OptimisationTarget{outcome, *r, plan.scenario.baseline_arm, e.value.key_loc};
}

}  // namespace

std::string OptimisationObjective::describe() const {
  std::vector<std::string> parts;
  for (const auto& [name, w] : terms)
    parts.push_back(w == 1.0 ? name : fmt::format("{:g}·{}", w, name));
  return fmt::format("{} {}", sign > 0 ? "minimise" : "maximise", fmt::join(parts, " + "));
}

std::string OptimisationTarget::describe() const {
  return fmt::format("{}_reduction {:g}", outcome, reduction);
}

namespace {
constexpr std::string_view kWhat = "a map of optimisation keys (scenario, current, budget, ...)";
}  // namespace

OptimisationPlan parse_optimisation_text(const std::string& yaml, const fs::path& name,
                                         const Catalog& catalog, Diagnostics& diag) {
  return read_plan_text<OptimisationPlan, Reader>(yaml, name, catalog, kWhat, diag);
}

OptimisationPlan parse_optimisation_file(const fs::path& file, const Catalog& catalog,
                                         Diagnostics& diag) {
  return read_plan_file<OptimisationPlan, Reader>(file, catalog, kWhat, diag);
}

}  // namespace fourp
