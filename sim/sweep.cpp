// Sweep files → validated SweepPlan (every problem collected, never stopping at the first).
//
// Reading order: the scenario first (its paths, arms and model decide what else is valid), then
// the sweep's `set`, arms, replicates and metrics, then the design and its parameters; last, the
// samples are generated and — when a parameter changes the population or network — each distinct
// sample is checked by the scenario parser's own cross-checks (a round trip through to_yaml).
#include "sim/sweep.h"

#include <yaml-cpp/yaml.h>

#include <fmt/format.h>
#include <algorithm>
#include <bit>
#include <cmath>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <tuple>

#include "sim/designs.h"
#include "sim/find_name.h"
#include "sim/input_files.h"
#include "sim/model.h"
#include "sim/scenario_parse.h"
#include "sim/uncertainty.h"
#include "sim/world.h"
#include "sim/yaml_input.h"

namespace fourp {

namespace {

using namespace yaml_input;

namespace fs = std::filesystem;

std::string num(double v) {
  return fmt::format("{}", v);
}

ParamSpec any_number() {
  return ParamSpec{};
}
ParamSpec whole_spec(double min, double max) {
  ParamSpec s;
  s.min = min, s.max = max, s.integer = true;
  return s;
}

constexpr const char* kTopKeys[] = {"name",   "description", "scenario", "arms", "replicates",
                                    "design", "parameters",  "metrics",  "set"};
constexpr const char* kDesignKeys[] = {"kind",         "samples", "seed",      "independent_seeds",
                                       "trajectories", "levels",  "bootstrap", "max_samples",
                                       "file"};
constexpr const char* kParameterKeys[] = {"min", "max", "values", "levels"};

template <size_t N>
std::vector<std::string> words(const char* const (&list)[N]) {
  return {std::begin(list), std::end(list)};
}

std::optional<DesignKind> design_kind_from(std::string_view name) {
  for (DesignKind k : {DesignKind::grid, DesignKind::list, DesignKind::latin_hypercube,
                       DesignKind::sobol, DesignKind::morris})
    if (design_kind_name(k) == name) return k;
  return std::nullopt;
}

// --- The reader -----------------------------------------------------------------------------

class Reader : public YamlReader {
 public:
  Reader(std::string label, fs::path dir, const Catalog& catalog, const SweepOptions& options,
         Diagnostics& diag)
      : YamlReader(std::move(label), diag, Style{"the sweep file", false}),
        dir_(std::move(dir)),
        catalog_(catalog),
        options_(options) {}

  void read(const YAML::Node& root, SweepPlan& plan);

 private:
  std::optional<std::string> text(const Value& v);

  bool read_scenario(const Value& v, SweepPlan& plan);
  void read_set(const Value& v, SweepPlan& plan);
  void read_arms(const std::optional<Value>& v, SweepPlan& plan);
  void read_metrics(const std::optional<Value>& v, SweepPlan& plan);
  void read_design(const Value& v, SweepPlan& plan);
  void read_parameters(const std::optional<Value>& v, SweepPlan& plan);
  std::optional<SweepParameter> parameter_for(const std::string& path, const SourceLoc& loc,
                                              const SweepPlan& plan);
  void read_parameter(const Entry& e, SweepParameter& p, DesignKind kind);
  void read_csv(SweepPlan& plan);
  bool check_design(SweepPlan& plan);
  void set_arms(SweepPlan& plan);
  void generate(SweepPlan& plan);
  void check_world_samples(const SweepPlan& plan);
  void warn_arm_overrides(const SweepPlan& plan);
  bool fix_uncertain(SweepPlan& plan, const std::string& path);
  void fix_swept_uncertainty(SweepPlan& plan);

  fs::path dir_;
  const Catalog& catalog_;
  const SweepOptions& options_;
  std::vector<std::string> settable_;  // paths a parameter may name
  std::vector<SettablePath> paths_;
  bool design_kind_known_ = false;
  std::function<bool(const char*)> missing_ok_ = [](const char*) { return false; };
  std::set<std::string> chosen_;  // arms to run
  SourceLoc parameters_loc_, set_loc_, csv_loc_;
  std::string csv_label_;  // the CSV file as named in messages
};

std::optional<std::string> Reader::text(const Value& v) {
  if (!v.node.IsScalar() || v.node.Scalar().empty()) {
    diag_.error(v.loc, fmt::format("{}: expected text, got {}", v.path, describe(v.node)));
    return std::nullopt;
  }
  return v.node.Scalar();
}

// --- Top level ------------------------------------------------------------------------------

void Reader::read(const YAML::Node& root, SweepPlan& plan) {
  const Value top{root, "", at(root.Mark()), at(root.Mark())};
  const std::vector<Entry> all = entries(top);
  std::set<std::string> misspelt;  // keys an unknown key looks like: not also "missing"
  for (const Entry& e : all)
    if (std::find(std::begin(kTopKeys), std::end(kTopKeys), e.key) == std::end(kTopKeys)) {
      unknown_key(e, "", words(kTopKeys));
      misspelt.insert(did_you_mean(e.key, words(kTopKeys)));
    }
  auto get = [&](const char* key) -> std::optional<Value> {
    if (const Entry* e = find_entry(all, key)) return e->value;
    return std::nullopt;
  };
  missing_ok_ = [misspelt](const char* key) { return misspelt.count(key) > 0; };

  plan.layout.name = fs::path(file_).stem().string();
  if (auto v = get("name"))
    if (auto t = text(*v)) plan.layout.name = *t;
  if (auto v = get("description"); v && !v->node.IsNull() && !v->node.IsScalar())
    diag_.error(v->loc, fmt::format("description: expected text, got {}", describe(v->node)));

  const std::optional<Value> scenario = get("scenario");
  if (!scenario) {
    if (!missing_ok_("scenario"))
      diag_.error(SourceLoc{file_},
                  "missing key 'scenario': the scenario file to sweep (relative "
                  "to this file), e.g. scenario: ../rural-district.yaml");
    return;
  }
  if (!read_scenario(*scenario, plan)) return;  // nothing else can be checked without it
  if (auto v = get("set")) read_set(*v, plan);

  plan.layout.replicates = plan.scenario.replicates;
  if (auto v = get("replicates"))
    if (auto r = number(*v, scenario_number_spec("replicates")))
      plan.layout.replicates = static_cast<uint32_t>(*r);
  plan.scenario.replicates = plan.layout.replicates;

  read_arms(get("arms"), plan);
  read_metrics(get("metrics"), plan);

  const std::optional<Value> design = get("design");
  if (!design) {
    if (!missing_ok_("design"))
      diag_.error(SourceLoc{file_},
                  "missing key 'design': how to choose samples, e.g. design: {kind: "
                  "latin_hypercube, samples: 200, seed: 7} (kinds: grid, list, latin_hypercube, "
                  "sobol, morris)");
    return;
  }
  read_design(*design, plan);
  if (!design_kind_known_) return;
  read_parameters(get("parameters"), plan);
  if (diag_.has_errors()) return;
  if (!check_design(plan)) return;
  fix_swept_uncertainty(plan);
  generate(plan);
  check_world_samples(plan);
  warn_arm_overrides(plan);
}

bool Reader::read_scenario(const Value& v, SweepPlan& plan) {
  auto name = text(v);
  if (!name) return false;
  // Named relative to this file, as this file is named (messages read like the user's paths).
  fs::path path = fs::path(*name);
  if (path.is_relative()) path = (fs::path(file_).parent_path() / path).lexically_normal();
  Diagnostics sd;
  plan.scenario = parse_scenario_file(path, catalog_, {}, sd);
  if (!sd.has_errors() && plan.scenario.network.kind == NetworkSpec::Kind::file) {
    auto nf = std::make_shared<NetworkFile>(read_network_file(plan.scenario.network, sd));
    if (!sd.has_errors()) apply_network_file(plan.scenario, *nf, sd);
    plan.network_file = std::move(nf);
  }
  for (const Diagnostic& d : sd.all()) {
    if (d.severity == Diagnostic::Severity::error)
      diag_.error(d.loc, d.message);
    else
      diag_.warning(d.loc, d.message);
  }
  if (sd.has_errors()) {
    diag_.error(
        v.loc, fmt::format("scenario '{}' has errors; the sweep cannot be checked further", *name));
    return false;
  }
  // Sweeps keep totals only: no per-agent snapshots or community series (time and memory).
  plan.scenario.outputs.snapshots.clear();
  plan.scenario.outputs.by_community = false;
  paths_ = settable_paths(plan.scenario);
  for (const auto& p : paths_) settable_.push_back(p.path);
  return true;
}

// Fixed values for every run, like `--set`: `set: {steps: 52, population.size: 2000}`.
void Reader::read_set(const Value& v, SweepPlan& plan) {
  set_loc_ = v.key_loc;
  for (const Entry& e : entries(v)) {
    if (e.key == "seed" || e.key == "replicates") {
      diag_.error(e.value.key_loc,
                  fmt::format("set: '{}' cannot be set in a sweep (use the sweep's {} instead)",
                              e.key, e.key == "seed" ? "design.seed" : "replicates"));
      continue;
    }
    auto x = number(e.value, any_number());
    if (!x) continue;
    apply_setting(plan.scenario, Setting{e.key, *x, e.value.key_loc}, diag_);
    if (fix_uncertain(plan, e.key))
      diag_.warning(
          e.value.key_loc,
          fmt::format("set: {} is fixed by the sweep's set; its uncertainty is not drawn", e.key));
  }
  paths_ = settable_paths(plan.scenario);
  settable_.clear();
  for (const auto& p : paths_) settable_.push_back(p.path);
}

void Reader::set_arms(SweepPlan& plan) {
  const Scenario& s = plan.scenario;
  plan.arm_index.clear();
  plan.layout.arms.clear();
  for (size_t i = 0; i < s.arms.size(); ++i)  // the scenario's order, whatever the list's
    if (chosen_.count(s.arms[i].name)) {
      plan.arm_index.push_back(i);
      plan.layout.arms.push_back(s.arms[i].name);
    }
  plan.layout.baseline_arm = chosen_.count(s.baseline_arm) ? s.baseline_arm : "";
}

void Reader::read_arms(const std::optional<Value>& v, SweepPlan& plan) {
  const Scenario& s = plan.scenario;
  std::vector<std::string> known;
  for (const Arm& a : s.arms) known.push_back(a.name);
  if (!v) {
    chosen_.insert(known.begin(), known.end());
  } else if (auto list = items(*v, "a list of arm names")) {
    if (list->empty()) diag_.error(v->loc, "arms: expected at least one arm");
    for (const Value& item : *list) {
      auto name = text(item);
      if (!name) continue;
      if (!s.arm(*name)) {
        std::string h = hint(*name, known);
        diag_.error(item.loc, fmt::format("arms: unknown arm '{}'{}", *name,
                                          h.empty() ? fmt::format(" (the scenario's arms: {})",
                                                                  list_words(known))
                                                    : h));
        continue;
      }
      if (!chosen_.insert(*name).second)
        diag_.error(item.loc, fmt::format("arms: '{}' is listed twice", *name));
    }
  }
  set_arms(plan);
}

void Reader::read_metrics(const std::optional<Value>& v, SweepPlan& plan) {
  if (plan.layout.arms.empty()) return;
  const Scenario& s = plan.scenario;
  plan.layout.outputs = s.kind->outputs;
  plan.layout.totals = s.kind->outputs.outcome_names();
  const OutputDeclarations& outputs = plan.layout.outputs;

  std::vector<std::string> names;
  if (!v) {
    names = plan.layout.totals;  // every total, and the paired metrics when the baseline runs
    if (!plan.layout.baseline_arm.empty())
      for (const std::string& paired : paired_metric_names(outputs)) names.push_back(paired);
  } else if (auto list = items(*v, "a list of metric names")) {
    if (list->empty()) diag_.error(v->loc, "metrics: expected at least one metric");
    for (const Value& item : *list) {
      auto name = text(item);
      if (!name) continue;
      if (!resolve_metric(*name, outputs)) {
        const auto known = known_metric_names(outputs);
        const std::string best = did_you_mean(*name, known);
        diag_.error(item.loc,
                    fmt::format("metrics: unknown metric '{}' ({}known metrics: {})", *name,
                                best.empty() ? "" : fmt::format("did you mean '{}'? ", best),
                                list_words(known)));
        continue;
      }
      if (std::find(names.begin(), names.end(), *name) != names.end()) {
        diag_.error(item.loc, fmt::format("metrics: '{}' is listed twice", *name));
        continue;
      }
      names.push_back(*name);
    }
  }
  plan.layout.metrics = names;
  plan.metrics.clear();
  bool paired = false;
  for (const auto& n : names) {
    plan.metrics.push_back(*resolve_metric(n, outputs));
    paired = paired || plan.metrics.back().paired();
  }
  // Paired metrics compare each arm with the baseline of the same sample and replicate.
  if (paired && plan.layout.baseline_arm.empty()) {
    diag_.warning(v ? v->loc : SourceLoc{file_},
                  fmt::format("the baseline arm '{}' is run too: {} compare{} every arm with it",
                              s.baseline_arm, fmt::join(paired_metric_names(outputs), " and "),
                              paired_metric_names(outputs).size() == 1 ? "s" : ""));
    chosen_.insert(s.baseline_arm);
    set_arms(plan);
  }
}

void Reader::read_design(const Value& v, SweepPlan& plan) {
  SweepDesign& d = plan.design;
  d.loc = v.loc;
  d.seed = plan.scenario.seed;
  if (!v.node.IsMap()) {
    diag_.error(v.loc, fmt::format("design: expected a map such as {{kind: latin_hypercube, "
                                   "samples: 200, seed: 7}}, got {}",
                                   describe(v.node)));
    return;
  }
  const std::vector<Entry> all = entries(v);
  for (const Entry& e : all)
    if (std::find(std::begin(kDesignKeys), std::end(kDesignKeys), e.key) == std::end(kDesignKeys))
      unknown_key(e, "design", words(kDesignKeys));
  const std::vector<std::string> kinds = {"grid", "list", "latin_hypercube", "sobol", "morris"};
  const Entry* kind = find_entry(all, "kind");
  if (!kind) {
    diag_.error(v.loc, fmt::format("design: missing key 'kind' (one of: {})", list_words(kinds)));
    return;
  }
  auto name = text(kind->value);
  if (!name) return;
  auto k = design_kind_from(*name);
  if (!k) {
    const std::string best = did_you_mean(*name, kinds);
    diag_.error(kind->value.loc,
                fmt::format("design.kind: unknown design '{}' ({}known designs: {})", *name,
                            best.empty() ? "" : fmt::format("did you mean '{}'? ", best),
                            list_words(kinds)));
    return;
  }
  d.kind = *k;
  const std::string kname(design_kind_name(d.kind));
  // A key that this kind of design does not use is an error: it would silently do nothing.
  auto for_kinds = [&](const Entry& e, std::initializer_list<DesignKind> users, const char* why) {
    if (std::find(users.begin(), users.end(), d.kind) != users.end()) return true;
    diag_.error(e.value.key_loc,
                fmt::format("design.{} is not used by {} designs ({})", e.key, kname, why));
    return false;
  };
  if (const Entry* e = find_entry(all, "samples")) {
    if (for_kinds(*e, {DesignKind::latin_hypercube, DesignKind::sobol},
                  "grid and list designs take their samples from the parameters' values")) {
      const double lo = d.kind == DesignKind::sobol ? 2 : 1;
      if (auto x = number(e->value, whole_spec(lo, 4294967295.0)))
        d.samples = static_cast<uint32_t>(*x);
    }
  } else if (d.kind == DesignKind::latin_hypercube || d.kind == DesignKind::sobol) {
    diag_.error(v.loc, fmt::format("design: {} designs need 'samples' ({})", kname,
                                   d.kind == DesignKind::sobol
                                       ? "base points N; the sweep runs N (parameters + 2) samples"
                                       : "how many points"));
  }
  if (const Entry* e = find_entry(all, "seed")) {
    if (auto x = number(e->value, scenario_number_spec("seed"))) d.seed = static_cast<uint64_t>(*x);
  }
  if (const Entry* e = find_entry(all, "independent_seeds")) {
    Value v = e->value;
    v.path = "design.independent_seeds";
    if (auto b = boolean(v)) d.independent_seeds = *b;
  }
  const char* morris_only = "they shape Morris trajectories";
  if (const Entry* e = find_entry(all, "trajectories"))
    if (for_kinds(*e, {DesignKind::morris}, morris_only)) {
      Value v = e->value;
      v.path = "design.trajectories";
      if (auto x = number(v, whole_spec(2, 1e7))) d.trajectories = static_cast<uint32_t>(*x);
    }
  if (const Entry* e = find_entry(all, "levels"))
    if (for_kinds(*e, {DesignKind::morris}, morris_only)) {
      Value v = e->value;
      v.path = "design.levels";
      if (auto x = number(v, whole_spec(2, 1e6))) {
        if (std::fmod(*x, 2.0) != 0)
          diag_.error(e->value.loc,
                      fmt::format("design.levels: {} is odd; Morris's levels must be even (a "
                                  "step of levels/2 grid points then reaches every level "
                                  "equally often), e.g. 4, 6 or 8",
                                  num(*x)));
        else
          d.levels = static_cast<uint32_t>(*x);
      }
    }
  if (d.kind == DesignKind::morris) {
    if (!find_entry(all, "trajectories"))
      diag_.error(v.loc,
                  "design: morris designs need 'trajectories' (how many one-at-a-time "
                  "paths, at least 2; 10 to 50 is usual)");
    if (!find_entry(all, "levels"))
      diag_.error(v.loc,
                  "design: morris designs need 'levels' (grid levels per parameter, "
                  "even; 4 is usual)");
  }
  if (const Entry* e = find_entry(all, "bootstrap"))
    if (for_kinds(*e, {DesignKind::sobol, DesignKind::morris},
                  "only Sobol' indices and Morris effects have bootstrap intervals")) {
      if (auto x = number(e->value, whole_spec(0, 1e6))) d.bootstrap = static_cast<uint32_t>(*x);
    }
  if (const Entry* e = find_entry(all, "max_samples"))
    if (for_kinds(*e, {DesignKind::grid}, "only grids grow by multiplying")) {
      if (auto x = number(e->value, whole_spec(1, 9007199254740992.0)))
        d.max_samples = static_cast<uint64_t>(*x);
    }
  if (const Entry* e = find_entry(all, "file"))
    if (for_kinds(*e, {DesignKind::list}, "a CSV file lists rows of a list design")) {
      if (auto t = text(e->value)) {
        d.file = fs::path(*t);
        csv_label_ = (fs::path(file_).parent_path() / d.file).string();
        if (d.file.is_relative()) d.file = dir_ / d.file;
        csv_loc_ = e->value.loc;
      }
    }
  design_kind_known_ = true;
}

// --- Parameters -----------------------------------------------------------------------------

std::optional<SweepParameter> Reader::parameter_for(const std::string& path, const SourceLoc& loc,
                                                    const SweepPlan& plan) {
  if (path == "seed" || path == "replicates" || path.rfind("outputs.", 0) == 0) {
    const char* why = path == "seed"         ? "every run is seeded from design.seed, its sample "
                                               "and its replicate"
                      : path == "replicates" ? "give the sweep's `replicates` instead"
                                             : "it changes what is saved, not what happens";
    diag_.error(loc, fmt::format("'{}' cannot be a sweep parameter: {}", path, why));
    return std::nullopt;
  }
  auto it = std::find_if(paths_.begin(), paths_.end(),
                         [&](const SettablePath& p) { return p.path == path; });
  if (it == paths_.end()) {
    diag_.error(loc, fmt::format("unknown parameter path '{}'{}", path, hint(path, settable_)));
    return std::nullopt;
  }
  SweepParameter p;
  p.path = path;
  p.spec = it->spec;
  p.world = !it->arm_may_set;
  p.loc = loc;
  return p;
}

void Reader::read_parameter(const Entry& e, SweepParameter& p, DesignKind kind) {
  if (!e.value.node.IsMap()) {
    diag_.error(e.value.loc,
                fmt::format("parameters.{}: expected a map such as {{min: 0.2, max: 0.9}} or "
                            "{{values: [0.2, 0.5]}}, got {}",
                            p.path, describe(e.value.node)));
    return;
  }
  const std::vector<Entry> all = entries(e.value);
  for (const Entry& f : all)
    if (std::find(std::begin(kParameterKeys), std::end(kParameterKeys), f.key) ==
        std::end(kParameterKeys))
      unknown_key(f, "parameters." + p.path, words(kParameterKeys));
  const Entry *min = find_entry(all, "min"), *max = find_entry(all, "max"),
              *values = find_entry(all, "values"), *levels = find_entry(all, "levels");
  const std::string kname(design_kind_name(kind));
  auto named = [&](const Entry* f, const char* key) {
    Value v = f->value;
    v.path = p.path + "." + key;
    return v;
  };
  if (min) p.min = number(named(min, "min"), p.spec);
  if (max) p.max = number(named(max, "max"), p.spec);
  if (levels) {
    if (kind != DesignKind::grid)
      diag_.error(levels->value.key_loc,
                  fmt::format("{}: levels are for grid designs, not {}", p.path, kname));
    else if (auto n = number(named(levels, "levels"), whole_spec(1, 1e6)))
      p.levels = static_cast<uint32_t>(*n);
  }
  if (values) {
    if (auto list = items(values->value, "a list of numbers")) {
      if (list->empty()) diag_.error(values->value.loc, fmt::format("{}: values is empty", p.path));
      for (Value item : *list) {
        item.path = p.path;
        if (auto x = number(item, p.spec)) p.values.push_back(*x);
      }
    }
  }
  const SourceLoc& where = e.value.key_loc;
  switch (kind) {
    case DesignKind::grid:
      if (values && (min || max || levels))
        diag_.error(where,
                    fmt::format("{}: give either values or min, max and levels, not both", p.path));
      else if (!values && !(min && max && levels))
        diag_.error(where, fmt::format("{}: grid designs need values: [...] (or min, max and "
                                       "levels)",
                                       p.path));
      break;
    case DesignKind::list:
      if (min || max)
        diag_.error((min ? min : max)->value.key_loc,
                    fmt::format("{}: list designs take values: [...], one per row, not min and "
                                "max",
                                p.path));
      else if (!values)
        diag_.error(where, fmt::format("{}: list designs need values: [...], one per row", p.path));
      break;
    case DesignKind::latin_hypercube:
    case DesignKind::sobol:
    case DesignKind::morris:
      if (values)
        diag_.error(values->value.key_loc,
                    fmt::format("{}: {} designs sample a range: give min and max (values are for "
                                "grid and list designs)",
                                p.path, kname));
      else if (!min || !max)
        diag_.error(where, fmt::format("{}: {} designs need min and max", p.path, kname));
      break;
  }
  if (p.min && p.max && *p.min > *p.max)
    diag_.error(max->value.loc, fmt::format("{}: min = {} is greater than max = {}", p.path,
                                            num(*p.min), num(*p.max)));
  // Sensitivity designs estimate what a parameter's variation does: it must vary.
  if ((kind == DesignKind::sobol || kind == DesignKind::morris) && p.min && p.max &&
      *p.min == *p.max)
    diag_.error(max->value.loc,
                fmt::format("{}: min = max = {}: nothing varies, so it has no {} "
                            "(fix it with the sweep's set instead)",
                            p.path, num(*p.min),
                            kind == DesignKind::sobol ? "Sobol' index" : "elementary effect"));
  if (kind == DesignKind::grid && p.levels && p.min && p.max && *p.min <= *p.max) {
    const uint32_t n = *p.levels;
    for (uint32_t k = 0; k < n; ++k) {
      const double x = n == 1 ? *p.min : *p.min + (*p.max - *p.min) * k / (n - 1.0);
      if (p.spec.integer && x != std::floor(x)) {
        diag_.error(levels->value.loc,
                    fmt::format("{}: {} levels from {} to {} are not all whole numbers, and {} "
                                "takes whole numbers (list the values instead)",
                                p.path, n, num(*p.min), num(*p.max), p.path));
        p.values.clear();
        break;
      }
      p.values.push_back(x);
    }
  }
}

void Reader::read_parameters(const std::optional<Value>& v, SweepPlan& plan) {
  const DesignKind kind = plan.design.kind;
  if (kind == DesignKind::list && !plan.design.file.empty()) {
    if (v)
      diag_.error(v->key_loc,
                  "parameters: not used with design.file (the CSV file's header names "
                  "the parameters)");
    read_csv(plan);
    return;
  }
  if (!v) {
    if (!missing_ok_("parameters"))
      diag_.error(SourceLoc{file_},
                  "missing key 'parameters': the scenario paths to vary, with a range or values "
                  "each, e.g. parameters: {steps: {values: [52, 104]}}");
    return;
  }
  parameters_loc_ = v->key_loc;
  const std::vector<Entry> all = entries(*v);
  if (all.empty() && v->node.IsMap() | v->node.IsNull())
    diag_.error(v->loc, "parameters: expected at least one parameter");
  for (const Entry& e : all) {
    auto p = parameter_for(e.key, e.value.key_loc, plan);
    if (!p) continue;
    read_parameter(e, *p, kind);
    plan.parameters.push_back(std::move(*p));
  }
  if (kind == DesignKind::list && plan.parameters.size() > 1) {
    const SweepParameter& first = plan.parameters.front();
    for (const SweepParameter& p : plan.parameters)
      if (p.values.size() != first.values.size() && !p.values.empty() && !first.values.empty())
        diag_.error(p.loc, fmt::format("list designs take one value per parameter per row: {} has "
                                       "{} values, {} has {}",
                                       first.path, first.values.size(), p.path, p.values.size()));
  }
}

// A CSV file of rows: a header naming parameter paths, then one number per column a line.
// Blank lines and lines starting with '#' are skipped; fields may be quoted ("…").
void Reader::read_csv(SweepPlan& plan) {
  std::ifstream in(plan.design.file, std::ios::binary);
  if (!in) {
    diag_.error(csv_loc_, fmt::format("design.file: cannot read '{}'", csv_label_));
    return;
  }
  note_input_file(plan.design.file);  // no output may replace it (sim/input_files.h)
  auto split = [](const std::string& line) {
    std::vector<std::pair<std::string, int>> out;  // field, 1-based column
    size_t start = 0;
    while (true) {
      size_t comma = line.find(',', start);
      std::string f =
          line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      size_t b = f.find_first_not_of(" \t"), e = f.find_last_not_of(" \t");
      const int col = static_cast<int>(start + (b == std::string::npos ? 0 : b)) + 1;
      f = b == std::string::npos ? "" : f.substr(b, e - b + 1);
      if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = f.substr(1, f.size() - 2);
      out.push_back({f, col});
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return out;
  };
  std::string line;
  int line_no = 0;
  bool header = true;
  size_t rows = 0;
  std::vector<int> columns;  // parameter of each column, -1 when the column is bad
  std::set<std::string> seen;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    const auto fields = split(line);
    if (header) {
      header = false;
      for (const auto& [name, col] : fields) {
        const SourceLoc loc{csv_label_, line_no, col};
        columns.push_back(-1);
        if (!seen.insert(name).second) {
          diag_.error(loc, fmt::format("column '{}' is given twice", name));
          continue;
        }
        if (auto p = parameter_for(name, loc, plan)) {
          columns.back() = static_cast<int>(plan.parameters.size());
          plan.parameters.push_back(std::move(*p));
        }
      }
      continue;
    }
    ++rows;
    if (fields.size() != columns.size()) {
      diag_.error(SourceLoc{csv_label_, line_no, 0},
                  fmt::format("{} values, expected {} (one per column of the header)",
                              fields.size(), columns.size()));
      continue;
    }
    for (size_t c = 0; c < fields.size(); ++c) {
      if (columns[c] < 0) continue;
      SweepParameter& p = plan.parameters[static_cast<size_t>(columns[c])];
      const SourceLoc loc{csv_label_, line_no, fields[c].second};
      const std::optional<double> x = parse_number(fields[c].first);
      if (!x || (p.spec.integer && std::isfinite(*x) && *x != std::floor(*x))) {
        diag_.error(loc,
                    fmt::format("{}: expected {}, got '{}'", p.path,
                                p.spec.integer ? "a whole number" : "a number", fields[c].first));
        continue;
      }
      if (!in_range(p.spec, *x)) {
        diag_.error(loc, fmt::format("{} = {} is out of range ({})", p.path, fields[c].first,
                                     describe_range(p.spec)));
        continue;
      }
      p.values.push_back(*x);
    }
  }
  if (header)
    diag_.error(SourceLoc{csv_label_},
                "the file is empty: expected a header of parameter paths, "
                "then one row of numbers a sample");
  else if (rows == 0)
    diag_.error(SourceLoc{csv_label_},
                "no rows: expected one row of numbers a sample after the "
                "header");
}

// --- Samples --------------------------------------------------------------------------------

bool Reader::check_design(SweepPlan& plan) {
  const SweepDesign& d = plan.design;
  const size_t dims = plan.parameters.size();
  if (dims == 0) return false;                     // reported
  constexpr uint64_t kMaxSamples = 4294967295ull;  // sample numbers are 32-bit
  uint64_t samples = 0;
  switch (d.kind) {
    case DesignKind::grid: {
      std::vector<std::string> sizes;
      samples = 1;
      for (const SweepParameter& p : plan.parameters) {
        sizes.push_back(std::to_string(p.values.size()));
        samples = p.values.size() != 0 && samples > UINT64_MAX / p.values.size()
                      ? UINT64_MAX
                      : samples * p.values.size();
      }
      const std::string product = fmt::format("{}", fmt::join(sizes, " x "));
      if (samples > kMaxSamples) {
        diag_.error(d.loc, fmt::format("the grid has {} samples ({}), more than fourp can number "
                                       "({})",
                                       product, samples == UINT64_MAX ? "too many" : num(samples),
                                       kMaxSamples));
        return false;
      }
      if (samples > d.max_samples && !options_.force) {
        diag_.error(d.loc, fmt::format("the grid has {} samples ({}), more than the limit of {} "
                                       "(design.max_samples); pass --force to run it anyway, or "
                                       "raise design.max_samples",
                                       samples, product, d.max_samples));
        return false;
      }
      break;
    }
    case DesignKind::list:
      samples = plan.parameters.front().values.size();
      break;
    case DesignKind::latin_hypercube:
      samples = d.samples;
      break;
    case DesignKind::sobol:
      if (dims > kMaxSobolDimensions / 2) {
        diag_.error(parameters_loc_.line ? parameters_loc_ : d.loc,
                    fmt::format("sobol designs take at most {} parameters, got {}",
                                kMaxSobolDimensions / 2, dims));
        return false;
      }
      samples = uint64_t{d.samples} * (dims + 2);
      if (samples > kMaxSamples) {
        diag_.error(d.loc, fmt::format("samples: {} base points x ({} parameters + 2) = {} "
                                       "samples, more than fourp can number ({})",
                                       d.samples, dims, samples, kMaxSamples));
        return false;
      }
      if ((d.samples & (d.samples - 1)) != 0)
        diag_.warning(d.loc, fmt::format("sobol designs are best balanced with a power of 2 base "
                                         "points (samples: {} or {})",
                                         std::bit_floor(d.samples), std::bit_ceil(d.samples)));
      break;
    case DesignKind::morris: {
      if (d.trajectories == 0 || d.levels == 0) return false;  // reported
      // Whole-number parameters take whole values at every level: they need as many as levels.
      bool ok = true;
      for (const SweepParameter& p : plan.parameters)
        if (p.spec.integer && p.min && p.max && *p.max - *p.min + 1 < d.levels) {
          diag_.error(p.loc, fmt::format("{} takes whole numbers, and {} to {} holds {} of them, "
                                         "fewer than the design's {} levels (lower "
                                         "design.levels or widen the range)",
                                         p.path, num(*p.min), num(*p.max), num(*p.max - *p.min + 1),
                                         d.levels));
          ok = false;
        }
      if (!ok) return false;
      samples = uint64_t{d.trajectories} * (dims + 1);
      if (samples > kMaxSamples) {
        diag_.error(d.loc, fmt::format("{} trajectories x ({} parameters + 1) = {} samples, more "
                                       "than fourp can number ({})",
                                       d.trajectories, dims, samples, kMaxSamples));
        return false;
      }
      break;
    }
  }
  return samples > 0;
}

void Reader::generate(SweepPlan& plan) {
  const SweepDesign& d = plan.design;
  const size_t dims = plan.parameters.size();
  std::vector<std::vector<double>> rows;
  auto scale = [&](const UnitPoints& unit) {
    for (const auto& u : unit) {
      std::vector<double> row(dims);
      for (size_t i = 0; i < dims; ++i) {
        const SweepParameter& p = plan.parameters[i];
        row[i] = scale_unit(u[i], *p.min, *p.max, p.spec.integer);
      }
      rows.push_back(std::move(row));
    }
  };
  switch (d.kind) {
    case DesignKind::grid: {
      std::vector<std::vector<double>> values;
      for (const auto& p : plan.parameters) values.push_back(p.values);
      rows = grid_points(values);
      break;
    }
    case DesignKind::list:
      for (size_t j = 0; j < plan.parameters.front().values.size(); ++j) {
        std::vector<double> row;
        for (const auto& p : plan.parameters) row.push_back(p.values[j]);
        rows.push_back(std::move(row));
      }
      break;
    case DesignKind::latin_hypercube:
      scale(latin_hypercube(d.samples, dims, d.seed));
      break;
    case DesignKind::sobol:
      scale(saltelli_points(d.samples, dims, d.seed));
      break;
    case DesignKind::morris:
      for (const auto& u : morris_points(d.trajectories, dims, d.levels, d.seed).points) {
        std::vector<double> row(dims);
        for (size_t i = 0; i < dims; ++i) {
          const SweepParameter& p = plan.parameters[i];
          row[i] = scale_grid(u[i], *p.min, *p.max, p.spec.integer);
        }
        rows.push_back(std::move(row));
      }
      break;
  }

  SweepLayout& L = plan.layout;
  L.sweep_file = fs::path(file_).filename().string();
  L.scenario_yaml = to_yaml(plan.scenario);
  L.design = std::string(design_kind_name(d.kind));
  L.design_seed = d.seed;
  L.independent_seeds = d.independent_seeds;
  L.sobol_base = d.kind == DesignKind::sobol ? d.samples : 0;
  const bool morris = d.kind == DesignKind::morris;
  L.morris_trajectories = morris ? d.trajectories : 0;
  L.morris_levels = morris ? d.levels : 0;
  L.bootstrap = d.kind == DesignKind::sobol || morris ? d.bootstrap : 0;
  L.parameters.clear();
  for (const auto& p : plan.parameters) L.parameters.push_back(p.path);
  L.drawn = plan.scenario.uncertainty;  // what the sweep does not fix (fix_swept_uncertainty)
  L.reads.clear();
  for (size_t a : plan.arm_index)
    for (const auto& p : plan.parameters)
      L.reads.push_back(fourp::arm_reads(plan.scenario.arms[a], p.path) ? 1 : 0);
  L.samples.clear();
  L.samples.reserve(rows.size() * dims);
  for (const auto& r : rows) L.samples.insert(L.samples.end(), r.begin(), r.end());
  L.hash = L.compute_hash();
}

// Samples that change the population or the network go through the scenario parser's
// cross-checks (communities against size, even ring degrees, community ids of targets, …).
void Reader::check_world_samples(const SweepPlan& plan) {
  const SweepLayout& L = plan.layout;
  std::vector<size_t> world;
  for (size_t i = 0; i < plan.parameters.size(); ++i)
    if (plan.parameters[i].world) world.push_back(i);
  std::set<std::vector<double>> checked;
  int reported = 0, more = 0;
  auto check = [&](std::optional<uint32_t> sample) {
    Scenario s = plan.scenario;
    std::vector<std::string> what;
    if (sample) {
      for (size_t i : world) {
        Diagnostics ignore;
        apply_setting(s, Setting{L.parameters[i], L.value(*sample, i), {}}, ignore);
        what.push_back(fmt::format("{} = {}", L.parameters[i], num(L.value(*sample, i))));
      }
    }
    Diagnostics d2;
    parse_scenario_text(to_yaml(s), s.file, catalog_, {}, d2);
    if (!d2.has_errors()) return true;
    for (const Diagnostic& d : d2.all()) {
      if (d.severity != Diagnostic::Severity::error) continue;
      if (reported >= 5) {
        ++more;
        break;
      }
      ++reported;
      if (sample)
        diag_.error(plan.parameters[world.front()].loc,
                    fmt::format("sample {} ({}): {}", *sample, list_words(what), d.message));
      else
        diag_.error(set_loc_.line ? set_loc_ : SourceLoc{file_},
                    fmt::format("with the sweep's set: {}", d.message));
    }
    return false;
  };
  if (!check(std::nullopt)) return;
  if (world.empty()) return;
  for (uint32_t j = 0; j < L.sample_count(); ++j) {
    std::vector<double> key;
    for (size_t i : world) key.push_back(L.value(j, i));
    if (!checked.insert(key).second) continue;
    check(j);
  }
  if (more > 0)
    diag_.error(plan.parameters[world.front()].loc,
                fmt::format("… and more samples the scenario refuses (first {} shown)", reported));
}

// An uncertain path the sweep fixes is no longer drawn, as with `--set` (scenario_parse.cpp):
// its value comes from the sweep. True when `path` was uncertain.
bool Reader::fix_uncertain(SweepPlan& plan, const std::string& path) {
  auto& u = plan.scenario.uncertainty;
  auto it =
      std::find_if(u.begin(), u.end(), [&](const UncertainParameter& p) { return p.path == path; });
  if (it == u.end()) return false;
  u.erase(it);
  plan.fixed_uncertain.push_back(path);
  return true;
}

// Each sample fixes the swept paths: drawing them per replicate would overwrite the sample's
// value. The other uncertain parameters stay, drawn per replicate (layout.drawn).
void Reader::fix_swept_uncertainty(SweepPlan& plan) {
  for (const SweepParameter& p : plan.parameters)
    if (fix_uncertain(plan, p.path))
      diag_.warning(p.loc, fmt::format("{} is swept: each sample fixes it, so its uncertainty in "
                                       "the scenario is not drawn",
                                       p.path));
}

void Reader::warn_arm_overrides(const SweepPlan& plan) {
  const Scenario& s = plan.scenario;
  for (const SweepParameter& p : plan.parameters) {
    bool read = false;
    for (size_t a : plan.arm_index) {
      read = read || arm_reads(s.arms[a], p.path);
      for (const Setting& st : s.arms[a].set)
        if (st.path == p.path)
          diag_.warning(p.loc, fmt::format("arm '{}' sets {} itself: in that arm the sweep's "
                                           "values are overridden",
                                           s.arms[a].name, p.path));
    }
    if (!read)
      diag_.warning(p.loc, fmt::format("{} is swept, but no arm of the sweep reads it", p.path));
  }
}

}  // namespace

// --- Public ---------------------------------------------------------------------------------

std::string_view design_kind_name(DesignKind kind) {
  switch (kind) {
    case DesignKind::grid:
      return "grid";
    case DesignKind::list:
      return "list";
    case DesignKind::latin_hypercube:
      return "latin_hypercube";
    case DesignKind::sobol:
      return "sobol";
    case DesignKind::morris:
      return "morris";
  }
  return "?";
}

bool arm_reads(const Arm& arm, std::string_view path) {
  for (const Setting& s : arm.set)
    if (s.path == path) return false;  // the arm's own value replaces the sweep's
  constexpr std::string_view prefix = "interventions.";
  if (path.substr(0, prefix.size()) != prefix) return true;
  const std::string_view rest = path.substr(prefix.size());
  const std::string_view name = rest.substr(0, rest.find('.'));
  return std::find(arm.interventions.begin(), arm.interventions.end(), name) !=
         arm.interventions.end();
}

uint32_t SweepLayout::sample_count() const {
  return parameters.empty() ? 0 : static_cast<uint32_t>(samples.size() / parameters.size());
}

std::vector<double> SweepLayout::draws(uint32_t sample, uint32_t replicate) const {
  return draw_parameters(drawn, seed_of(sample), replicate);
}

RunPlan SweepLayout::run(uint64_t index) const {
  RunPlan r;
  const uint64_t A = arms.size();
  r.index = index;
  r.task = index / A;
  r.arm = static_cast<uint32_t>(index % A);
  r.sample = static_cast<uint32_t>(r.task / replicates);
  r.replicate = static_cast<uint32_t>(r.task % replicates);
  r.seed = seed_of(r.sample);
  return r;
}

uint64_t SweepLayout::compute_hash() const {
  std::string t = "fourp sweep layout 1\n";
  auto str = [&](const char* key, const std::string& v) {
    t += fmt::format("{} {}:{}\n", key, v.size(), v);
  };
  auto list = [&](const char* key, const std::vector<std::string>& v) {
    t += fmt::format("{} {}\n", key, v.size());
    for (const auto& s : v) str("-", s);
  };
  str("fourp_version", FOURP_VERSION);
  str("name", name);
  str("sweep", sweep_text);
  str("sweep_file", sweep_file);
  str("scenario", scenario_yaml);
  str("design", design);
  t += fmt::format(
      "design_seed {}\nindependent_seeds {}\nsobol_base {}\nmorris {} {}\n"
      "bootstrap {}\nreplicates {}\n",
      design_seed, independent_seeds ? 1 : 0, sobol_base, morris_trajectories, morris_levels,
      bootstrap, replicates);
  list("arms", arms);
  str("baseline_arm", baseline_arm);
  list("parameters", parameters);
  list("totals", totals);
  list("metrics", metrics);
  t += fmt::format("reads {}\n", fmt::join(reads, ""));
  t += fmt::format("samples {}\n", samples.size());
  for (double x : samples) t += fmt::format("{}\n", x);  // shortest text that reads back exactly
  uint64_t h = 0xcbf29ce484222325ull;                    // FNV-1a
  for (unsigned char c : t) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

std::string SweepLayout::hash_hex() const {
  return fmt::format("{:016x}", hash);
}

std::optional<MetricSpec> resolve_metric(std::string_view name, const OutputDeclarations& outputs) {
  const std::vector<std::string> totals = outputs.outcome_names();
  auto index = [&](std::string_view t) { return find_name(totals, t); };
  if (auto i = index(name)) return MetricSpec{std::string(name), MetricSpec::Kind::total, *i};
  const int sign = outputs.improvement_sign();
  const std::optional<size_t> headline = sign != 0 ? index(outputs.headline) : std::nullopt;
  const std::optional<size_t> cost =
      outputs.cost_outcome.empty() ? std::nullopt : index(outputs.cost_outcome);
  const Improvement& imp = outputs.improvement;
  if (headline && name == imp.name)
    return MetricSpec{std::string(name), MetricSpec::Kind::improvement, *headline, 0, sign};
  if (headline && cost && !imp.cost_name.empty() && name == imp.cost_name)
    return MetricSpec{std::string(name), MetricSpec::Kind::cost_per_improvement, *headline, *cost,
                      sign};
  const std::string_view suffix = "_total";
  if (name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix) {
    const std::string_view base = name.substr(0, name.size() - suffix.size());
    if (base.find('_') == std::string_view::npos)  // counts, e.g. a model's `infected`
      if (auto i = index(base)) return MetricSpec{std::string(name), MetricSpec::Kind::total, *i};
  }
  return std::nullopt;
}

std::vector<std::string> paired_metric_names(const OutputDeclarations& outputs) {
  std::vector<std::string> out;
  for (const std::string& paired : {outputs.improvement.name, outputs.improvement.cost_name})
    if (!paired.empty() && resolve_metric(paired, outputs)) out.push_back(paired);
  return out;
}

std::vector<std::string> known_metric_names(const OutputDeclarations& outputs) {
  const std::vector<std::string> totals = outputs.outcome_names();
  std::vector<std::string> out = totals;
  for (const auto& t : totals)
    if (t.find('_') == std::string::npos &&
        std::find(totals.begin(), totals.end(), t + "_total") == totals.end())
      out.push_back(t + "_total");
  for (const std::string& paired : paired_metric_names(outputs)) out.push_back(paired);
  return out;
}

SweepPlan parse_sweep_text(const std::string& yaml, const std::filesystem::path& name,
                           const Catalog& catalog, const SweepOptions& options, Diagnostics& diag) {
  SweepPlan plan;
  plan.file = name;
  plan.layout.sweep_text = yaml;
  const std::string label = name.string();
  Diagnostics local;
  Reader reader(label, fs::absolute(name).parent_path(), catalog, options, local);
  if (auto root = load_top_map(yaml, reader, local,
                               "a map of sweep keys (scenario, design, parameters, ...)"))
    reader.read(*root, plan);
  emit_sorted(local, label, diag);
  return plan;
}

SweepPlan parse_sweep_file(const std::filesystem::path& file, const Catalog& catalog,
                           const SweepOptions& options, Diagnostics& diag) {
  std::optional<std::string> text = read_input_file(file, diag);  // bounded (sim/yaml_document.h)
  if (!text) {
    SweepPlan p;
    p.file = file;
    return p;
  }
  return parse_sweep_text(*text, file, catalog, options, diag);
}

Scenario sample_scenario(const SweepPlan& plan, uint32_t sample) {
  const SweepLayout& L = plan.layout;
  Scenario s = plan.scenario;
  Diagnostics diag;
  for (size_t i = 0; i < L.parameters.size(); ++i)
    apply_setting(s, Setting{L.parameters[i], L.value(sample, i), plan.parameters[i].loc}, diag);
  if (diag.has_errors()) throw std::logic_error("sample_scenario: " + diag.format());
  s.seed = L.seed_of(sample);
  return s;
}

Scenario task_scenario(const SweepPlan& plan, uint32_t sample, uint32_t replicate) {
  Scenario s = sample_scenario(plan, sample);
  if (s.uncertainty.empty()) return s;  // nothing to draw (and no second copy)
  return with_parameters(s, plan.layout.draws(sample, replicate));
}

}  // namespace fourp
